// Attribute resolution for one resource type (RFC 7643 sections 2.1, 3 and 3.3; RFC 7644 3.10):
// which schema defines a path, with what characteristics, spelled how. Names and schema URNs are
// case-insensitive; an unqualified name is looked up in the core schema (and the common attributes)
// first, then in the extensions in declaration order.

import { ScimError } from '../errors';
import type { AttrPath, PatchPath } from '../filter/ast';
import { parseAttrPath, parsePatchPath } from '../path/attr-path';
import {
  COMMON_ATTRIBUTES,
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  GROUP_RESOURCE_TYPE,
  SCHEMAS_ATTRIBUTE,
  USER_RESOURCE_TYPE,
} from './core-schemas';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './types';

export interface ResolvedAttribute {
  /** URN of the schema defining the attribute, as the schema spells it (the core URN for common attributes). */
  schema: string;
  /** True when the attribute lives under its extension URN key in the resource JSON (RFC 7643 3.3). */
  extension: boolean;
  /** True for `id`, `externalId`, `meta` and `schemas`, which belong to no schema (RFC 7643 3.1). */
  common: boolean;
  /** The top-level attribute. */
  attribute: AttributeDef;
  /** The sub-attribute, when the path names one. */
  subAttribute?: AttributeDef;
  /** What the path designates: the sub-attribute if there is one, else the attribute. */
  target: AttributeDef;
  /**
   * The path spelled as the schema spells it; `schema` is set only for extension attributes, so
   * `URN:User:USERNAME` becomes `{ attr: 'userName' }` and `department` becomes
   * `{ schema: 'urn:...:enterprise:2.0:User', attr: 'department' }`.
   */
  path: AttrPath;
}

/** The key of `obj` equal to `name` ignoring case (RFC 7643 2.1: attribute names are case-insensitive). */
export function findKey(obj: object, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** Each attribute list's definitions by lower-cased name, built once per list (schemas are immutable). */
const INDEXES = new WeakMap<readonly AttributeDef[], ReadonlyMap<string, AttributeDef>>();

function byName(defs: readonly AttributeDef[], name: string): AttributeDef | undefined {
  let index = INDEXES.get(defs);
  if (!index) {
    const built = new Map<string, AttributeDef>();
    // The first definition of a name wins, as a linear search would find it.
    for (const d of defs) if (!built.has(d.name.toLowerCase())) built.set(d.name.toLowerCase(), d);
    INDEXES.set(defs, (index = built));
  }
  return index.get(name.toLowerCase());
}

/** How many textual paths a resource type remembers the resolution of (clients send a handful). */
const RESOLVED_TEXTS = 1_000;

export class ResourceSchema {
  readonly core: SchemaDef;
  /** Extension schemas in declaration order, with whether the resource type requires them. */
  readonly extensions: readonly { schema: SchemaDef; required: boolean }[];
  /** The core schema followed by the extensions. */
  readonly schemas: readonly SchemaDef[];
  /** Every schema URN this resource type knows, as spelled by the schemas (for path parsing). */
  readonly schemaUrns: readonly string[];
  readonly commonAttributes: readonly AttributeDef[];
  /** resolveText's answers: every SCIM body names its attributes by text, on every request. */
  private readonly resolvedTexts = new Map<string, ResolvedAttribute | undefined>();
  /** patchPath's answers: a POST body's keys and a PATCH's paths are parsed on every request. */
  private readonly patchPaths = new Map<string, PatchPath>();

  constructor(
    readonly resourceType: ResourceTypeDef,
    schemaDefs: readonly SchemaDef[],
    commonAttributes: readonly AttributeDef[] = [...COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE],
  ) {
    const find = (urn: string): SchemaDef => {
      const def = schemaDefs.find((s) => s.id.toLowerCase() === urn.toLowerCase());
      if (!def) throw new Error(`Resource type ${resourceType.id} names schema ${urn}, which was not supplied`);
      return def;
    };
    this.core = find(resourceType.schema);
    const seen = new Set([this.core.id.toLowerCase()]);
    this.extensions = resourceType.schemaExtensions.map((e) => {
      if (seen.has(e.schema.toLowerCase())) throw new Error(`Schema ${e.schema} is declared twice on ${resourceType.id}`);
      seen.add(e.schema.toLowerCase());
      return { schema: find(e.schema), required: e.required };
    });
    this.schemas = [this.core, ...this.extensions.map((e) => e.schema)];
    this.schemaUrns = this.schemas.map((s) => s.id);
    this.commonAttributes = commonAttributes;
  }

  /** The schema with this URN (case-insensitive), if the resource type uses it. */
  schemaFor(urn: string): SchemaDef | undefined {
    const lower = urn.toLowerCase();
    return this.schemas.find((s) => s.id.toLowerCase() === lower);
  }

  isExtension(urn: string): boolean {
    const s = this.schemaFor(urn);
    return !!s && s !== this.core;
  }

  /** Top-level attribute `name` of schema `schemaUrn`; for the core schema this includes the common attributes. */
  attributeFor(schemaUrn: string, name: string): AttributeDef | undefined {
    const s = this.schemaFor(schemaUrn);
    if (!s) return undefined;
    return byName(s.attributes, name) ?? (s === this.core ? byName(this.commonAttributes, name) : undefined);
  }

  /** Sub-attribute `name` of a complex attribute (case-insensitive). */
  resolveSub(parent: AttributeDef, name: string): AttributeDef | undefined {
    return parent.subAttributes ? byName(parent.subAttributes, name) : undefined;
  }

  /**
   * The schema a path names as a whole (`urn:...:enterprise:2.0:User`), whether the parser was told
   * about the URN (`attr: ''`) or not (it then split the last URN segment off as an attribute name).
   */
  wholeSchema(path: AttrPath): SchemaDef | undefined {
    if (path.subAttr !== undefined) return undefined;
    if (path.attr === '') return path.schema === undefined ? undefined : this.schemaFor(path.schema);
    if (path.schema === undefined) return undefined;
    if (this.attributeFor(path.schema, path.attr)) return undefined;
    return this.schemaFor(`${path.schema}:${path.attr}`);
  }

  /** Resolves a path against this resource type; undefined when any part of it is unknown. */
  resolve(path: AttrPath): ResolvedAttribute | undefined {
    if (path.attr === '') return undefined;
    let schema: SchemaDef | undefined;
    let attribute: AttributeDef | undefined;
    let common = false;
    if (path.schema !== undefined) {
      schema = this.schemaFor(path.schema);
      if (!schema) return undefined;
      attribute = byName(schema.attributes, path.attr);
      if (!attribute && schema === this.core) {
        attribute = byName(this.commonAttributes, path.attr);
        common = !!attribute;
      }
    } else {
      attribute = byName(this.core.attributes, path.attr);
      if (attribute) schema = this.core;
      else if ((attribute = byName(this.commonAttributes, path.attr))) {
        schema = this.core;
        common = true;
      } else {
        for (const s of this.schemas) {
          attribute = byName(s.attributes, path.attr);
          if (attribute) {
            schema = s;
            break;
          }
        }
      }
    }
    if (!schema || !attribute) return undefined;
    let subAttribute: AttributeDef | undefined;
    if (path.subAttr !== undefined) {
      subAttribute = this.resolveSub(attribute, path.subAttr);
      if (!subAttribute) return undefined;
    }
    const extension = schema !== this.core;
    return {
      schema: schema.id,
      extension,
      common,
      attribute,
      ...(subAttribute ? { subAttribute } : {}),
      target: subAttribute ?? attribute,
      path: {
        ...(extension ? { schema: schema.id } : {}),
        attr: attribute.name,
        ...(subAttribute ? { subAttr: subAttribute.name } : {}),
      },
    };
  }

  /**
   * Parses and resolves a textual attribute path (`name.givenName`, `urn:...:User:department`);
   * undefined when the text is not a valid path or names nothing, as for resolve().
   */
  resolveText(text: string): ResolvedAttribute | undefined {
    if (this.resolvedTexts.has(text)) return this.resolvedTexts.get(text);
    const resolved = this.resolveTextUncached(text);
    remember(this.resolvedTexts, text, resolved === undefined ? undefined : freeze(resolved));
    return resolved;
  }

  /**
   * Parses a PATCH path (or a key of a path-less PATCH value or POST body) against this resource
   * type's schema URNs, as parsePatchPath does; the parsed path is remembered and must not be changed.
   * Throws `ScimError(400, 'invalidPath')`; errors are not remembered.
   */
  patchPath(text: string): PatchPath {
    let path = this.patchPaths.get(text);
    if (path === undefined) {
      path = deepFreeze(parsePatchPath(text, { schemaUrns: this.schemaUrns }));
      // Paths selecting one value by id (Entra's `members[value eq "<id>"]`, a thousand per PATCH)
      // are each seen once: only short value filters (`emails[type eq "work"].value`) are kept.
      if (!path.filter || text.length <= 48) remember(this.patchPaths, text, path);
    }
    return path;
  }

  private resolveTextUncached(text: string): ResolvedAttribute | undefined {
    let path: AttrPath;
    try {
      path = parseAttrPath(text, { schemaUrns: this.schemaUrns });
    } catch (e) {
      if (e instanceof ScimError) return undefined;
      throw e;
    }
    return this.resolve(path);
  }

  /**
   * The `value` sub-attribute of a multi-valued complex attribute: what a filter on the attribute
   * itself compares against (`emails co "example.com"`, RFC 7644 3.4.2.2 examples).
   */
  valueSubAttribute(attribute: AttributeDef): AttributeDef | undefined {
    return attribute.type === 'complex' && attribute.multiValued ? this.resolveSub(attribute, 'value') : undefined;
  }

  /**
   * The attribute a comparison on `resolved` really compares: the target, or for a multi-valued
   * complex attribute named without sub-attribute, its `value` sub-attribute.
   */
  comparedAttribute(resolved: ResolvedAttribute): AttributeDef | undefined {
    const t = resolved.target;
    if (t.type !== 'complex') return t;
    return resolved.subAttribute ? undefined : this.valueSubAttribute(t);
  }

  /** Whether string comparisons on this attribute are case-sensitive (RFC 7643 2.2 caseExact). */
  isCaseExact(resolved: ResolvedAttribute): boolean {
    return (this.comparedAttribute(resolved) ?? resolved.target).caseExact;
  }

  /** Where an attribute's value sits in the resource JSON: its extension key (if any) and its name. */
  locate(resolved: ResolvedAttribute): { container?: string; attr: string } {
    return resolved.extension ? { container: resolved.schema, attr: resolved.attribute.name } : { attr: resolved.attribute.name };
  }

  /** Top-level attributes of a schema, plus the common attributes for the core schema. */
  attributesOf(schemaUrn: string): readonly AttributeDef[] {
    const s = this.schemaFor(schemaUrn);
    if (!s) return [];
    return s === this.core ? [...this.commonAttributes, ...s.attributes] : s.attributes;
  }
}

/** Adds extension schemas to a resource type (custom connector extensions are optional). */
function withExtensions(base: ResourceTypeDef, extensions: readonly SchemaDef[]): ResourceTypeDef {
  return {
    ...base,
    schemaExtensions: [...base.schemaExtensions, ...extensions.map((s) => ({ schema: s.id, required: false }))],
  };
}

/** The User resource type: core User, Enterprise User, then any custom extension schemas. */
export function userSchema(extensions: readonly SchemaDef[] = []): ResourceSchema {
  return new ResourceSchema(withExtensions(USER_RESOURCE_TYPE, extensions), [CORE_USER, ENTERPRISE_USER, ...extensions]);
}

/** The Group resource type: core Group, then any custom extension schemas. */
export function groupSchema(extensions: readonly SchemaDef[] = []): ResourceSchema {
  return new ResourceSchema(withExtensions(GROUP_RESOURCE_TYPE, extensions), [CORE_GROUP, ...extensions]);
}

/** Bounded: a client sending ever new attribute names must not grow a cache without end. */
function remember<V>(cache: Map<string, V>, text: string, value: V): void {
  if (cache.size >= RESOLVED_TEXTS) cache.clear();
  cache.set(text, value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A remembered resolution is shared by every caller: none may change it. Only the answer is frozen,
 * not the schema's own definitions it points to.
 */
function freeze(resolved: ResolvedAttribute): ResolvedAttribute {
  Object.freeze(resolved.path);
  return Object.freeze(resolved);
}
