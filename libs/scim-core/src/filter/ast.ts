// The SCIM filter and attribute-path model (RFC 7644 section 3.4.2.2 and 3.5.2).
// One AST, several visitors: the in-memory matcher here, the SQL compiler in src/directory.

/** A reference to an attribute: `userName`, `name.givenName`, `urn:...:User:department`. */
export interface AttrPath {
  /** Schema URN when the path was written fully qualified (as written, not normalised). */
  schema?: string;
  /**
   * Top-level attribute name, as written (SCIM attribute names are case-insensitive).
   * `''` when the path names a whole schema, e.g. the PATCH path
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` (then `schema` is that URN and
   * there is no `subAttr`). Only path parsers told about that URN produce it, never the filter parser.
   */
  attr: string;
  /** Sub-attribute of a complex attribute. */
  subAttr?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type ScimValue = string | number | boolean | null;

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: ScimValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'logical'; op: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /**
   * `emails[type eq "work"]`: the inner filter's paths are relative to the multi-valued attribute
   * (`{ attr: 'type' }` means `emails.type`).
   */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH target (RFC 7644 3.5.2 PATH): `attrPath` or `valuePath [ "." subAttr ]`. */
export interface PatchPath {
  schema?: string;
  attr: string;
  /** Present for `emails[type eq "work"]` and `emails[type eq "work"].value`; paths inside are relative. */
  filter?: Filter;
  subAttr?: string;
}
