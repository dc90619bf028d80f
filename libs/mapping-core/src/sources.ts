// Compiles a Source into a reader of one value from a record. Decisions: every reader returns
// undefined rather than an empty or blank value, so "no value" means one thing everywhere; a template
// yields a value only when every placeholder has one (`{name.givenName} {name.familyName}` gives
// nothing rather than "Ada " when the family name is missing, and a firstOf can fall back); `matches`
// filters the source's own value, before the rule's transformations.
import type { Source } from './mapping';
import { compilePattern } from './patterns';
import { MappingProblem } from './problem';
import { checkLdapAttribute, readLdapAttribute } from './ldap-attribute';
import type { RecordKind, SourceRecord } from './record';
import { compileScimPath, readScimPath } from './scim-path';
import { parseTemplate } from './template';
import { hasValue } from './values';

export type Reader = (record: SourceRecord) => string | undefined;

export interface CompiledSource {
  read: Reader;
  /** The source in words, for drop and skip reasons: `emails[type eq "work"].value`, `"Contractor"`. */
  description: string;
}

const OTHER_KIND_HINT: Record<RecordKind, string> = {
  scim: 'this mapping reads SCIM resources; use { "scim": "<path>" }',
  ldap: 'this mapping reads LDAP entries; use { "ldap": "<attribute>" }',
};

/** A SCIM path or LDAP attribute name, as the `scim`/`ldap` source or a template placeholder. */
function compileRecordPath(text: string, kind: RecordKind): Reader {
  if (kind === 'scim') {
    const path = compileScimPath(text);
    return (record) => (record.kind === 'scim' ? readScimPath(path, record.resource) : undefined);
  }
  checkLdapAttribute(text);
  return (record) => (record.kind === 'ldap' ? readLdapAttribute(text, record.entry) : undefined);
}

/** A `scim` or `ldap` source, refused in a mapping of the other kind. */
export function compileAttributeSource(sourceKind: RecordKind, text: string, mappingKind: RecordKind): Reader {
  if (sourceKind !== mappingKind) throw new MappingProblem(OTHER_KIND_HINT[mappingKind]);
  return compileRecordPath(text, mappingKind);
}

/** Template placeholders, checked as paths of the mapping's kind. */
export function compileTemplate(text: string, kind: RecordKind): Reader {
  const parts = parseTemplate(text).map((part) => {
    if ('literal' in part) return part.literal;
    try {
      return compileRecordPath(part.placeholder, kind);
    } catch (e) {
      if (e instanceof MappingProblem) throw new MappingProblem(`placeholder {${part.placeholder}}: ${e.message}`);
      throw e;
    }
  });
  return (record) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = part(record);
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  };
}

function compileUnfiltered(source: Source, kind: RecordKind): CompiledSource {
  if ('scim' in source || 'ldap' in source) {
    const [sourceKind, text] = 'scim' in source ? (['scim', source.scim] as const) : (['ldap', source.ldap] as const);
    return { read: compileAttributeSource(sourceKind, text, kind), description: text };
  }
  if ('constant' in source) {
    const value = source.constant;
    return { read: () => (hasValue(value) ? value : undefined), description: JSON.stringify(value) };
  }
  if ('template' in source) return { read: compileTemplate(source.template, kind), description: `template ${JSON.stringify(source.template)}` };
  const alternatives = source.firstOf.map((s) => compileSource(s, kind));
  return {
    read: (record) => {
      for (const alternative of alternatives) {
        const value = alternative.read(record);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    description: `the first of (${alternatives.map((a) => a.description).join(', ')})`,
  };
}

export function compileSource(source: Source, kind: RecordKind): CompiledSource {
  const compiled = compileUnfiltered(source, kind);
  if (source.matches === undefined) return compiled;
  const re = compilePattern(source.matches);
  return {
    read: (record) => {
      const value = compiled.read(record);
      return value !== undefined && re.test(value) ? value : undefined;
    },
    description: `${compiled.description} when it matches /${source.matches}/`,
  };
}
