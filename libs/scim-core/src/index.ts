// @roster/scim-core: RFC 7643 / RFC 7644 logic with no framework, no database and no I/O.
export * from './errors';
export * from './schema/types';
export * from './schema/core-schemas';
export * from './schema/resource-schema';
export * from './path/attr-path';
export * from './filter/ast';
export * from './filter/parser';
export * from './filter/printer';
export * from './filter/matcher';
export * from './patch/patch-request';
export * from './patch/patch-engine';
export * from './messages/projection';
export * from './messages/list-response';
export * from './messages/bulk';
export * from './filter/leniency';
export * from './patch/canonical';
export * from './compat/idp-normaliser';
