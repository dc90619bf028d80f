// LDAP sources: an attribute description (RFC 4512 2.5: a name or an OID, with `;option`s) read from
// an entry case-insensitively. Of several values the first non-empty one is taken; the entry's DN is
// readable as `dn` when the connector puts it in the entry under that name.
import { MappingProblem } from './problem';
import type { LdapEntry } from './record';
import { asList, firstText, getIgnoringCase } from './values';

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)(?:;[A-Za-z0-9-]+)*$/;

export function checkLdapAttribute(name: string): void {
  if (!ATTRIBUTE_DESCRIPTION.test(name)) {
    throw new MappingProblem(`"${name}" is not an LDAP attribute name (a letter then letters, digits or hyphens, or an OID)`);
  }
}

export function readLdapAttribute(name: string, entry: LdapEntry): string | undefined {
  return firstText(asList(getIgnoringCase(entry, name)));
}
