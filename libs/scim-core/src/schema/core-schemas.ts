// The RFC 7643 schemas as data: core User and Group (section 8.7.1, characteristics per sections 4.1,
// 4.2 and 4.3), the Enterprise User extension, and the common attributes of section 3.1.
// Where section 8.7.1 omits a characteristic, the section 2.2 default applies (required false,
// caseExact false, mutability readWrite, returned default, uniqueness none) and is written out here so
// that every AttributeDef is complete. Deviations from the 8.7.1 text are marked "Deviation:".

import type { AttributeDef, AttributeType, ResourceTypeDef, SchemaDef } from './types';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Characteristics = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

/** An attribute with the RFC 7643 section 2.2 defaults, overridden by `c`. */
function attr(name: string, type: AttributeType, description: string, c: Characteristics = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...c,
  };
}

function complex(name: string, description: string, subAttributes: AttributeDef[], c: Characteristics = {}): AttributeDef {
  return attr(name, 'complex', description, { ...c, subAttributes });
}

const DISPLAY_DESCRIPTION = 'A human-readable name, primarily used for display purposes.  READ-ONLY.';

function primary(what: string): AttributeDef {
  return attr(
    'primary',
    'boolean',
    `A Boolean value indicating the 'primary' or preferred attribute value for this attribute${what}.  ` +
      "The primary attribute value 'true' MUST appear no more than once.",
  );
}

/** The `value` / `display` / `type` / `primary` shape shared by most multi-valued User attributes. */
function multiValuedOf(
  name: string,
  description: string,
  value: AttributeDef,
  typeDescription: string,
  canonicalValues: string[] | undefined,
  primaryWhat: string,
): AttributeDef {
  return complex(
    name,
    description,
    [
      value,
      attr('display', 'string', DISPLAY_DESCRIPTION),
      attr('type', 'string', typeDescription, canonicalValues ? { canonicalValues } : {}),
      primary(primaryWhat),
    ],
    { multiValued: true },
  );
}

/** RFC 7643 section 3.1: present on every resource, defined by no schema. */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = [
  attr(
    'id',
    'string',
    'A unique identifier for a SCIM resource as defined by the service provider.  REQUIRED.',
    { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
  ),
  attr('externalId', 'string', 'A String that is an identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  complex(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      attr('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'dateTime', 'The "DateTime" that the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attr('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated.', {
        mutability: 'readOnly',
      }),
      attr('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attr('version', 'string', 'The version of the resource being returned.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];

/**
 * RFC 7643 section 3: `schemas` is carried by every resource but defined by no schema; it is listed
 * apart so that filters such as `schemas eq "urn:...:enterprise:2.0:User"` (RFC 7644 3.4.2.2) resolve.
 * caseExact false because schema URIs are compared case-insensitively everywhere else (section 2.1).
 */
export const SCHEMAS_ATTRIBUTE: AttributeDef = attr(
  'schemas',
  'reference',
  'The schema URIs that define the attributes present in the resource.  REQUIRED.',
  { multiValued: true, required: true, returned: 'always', referenceTypes: ['uri'] },
);

export const CORE_USER: SchemaDef = {
  id: CORE_USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr(
      'userName',
      'string',
      'Unique identifier for the User, typically used by the user to directly authenticate to the service provider. ' +
        'Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service ' +
        "provider's entire set of Users.  REQUIRED.",
      { required: true, uniqueness: 'server' },
    ),
    complex(
      'name',
      "The components of the user's real name.",
      [
        attr('formatted', 'string', 'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.'),
        attr('familyName', 'string', 'The family name of the User, or last name in most Western languages.'),
        attr('givenName', 'string', 'The given name of the User, or first name in most Western languages.'),
        attr('middleName', 'string', 'The middle name(s) of the User.'),
        attr('honorificPrefix', 'string', 'The honorific prefix(es) of the User, or title in most Western languages.'),
        attr('honorificSuffix', 'string', 'The honorific suffix(es) of the User, or suffix in most Western languages.'),
      ],
    ),
    attr('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'string', 'The casual way to address the user in real life.'),
    attr('profileUrl', 'reference', "A fully qualified URL pointing to a page representing the User's online profile.", {
      referenceTypes: ['external'],
    }),
    attr('title', 'string', 'The user\'s title, such as "Vice President."'),
    attr('userType', 'string', 'Used to identify the relationship between the organization and the user.'),
    attr('preferredLanguage', 'string', "Indicates the User's preferred written or spoken language."),
    attr('locale', 'string', "Used to indicate the User's default location for purposes of localizing items."),
    attr('timezone', 'string', "The User's time zone in the 'Olson' time zone database format."),
    attr('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    attr('password', 'string', "The User's cleartext password.", { mutability: 'writeOnly', returned: 'never' }),
    multiValuedOf(
      'emails',
      "Email addresses for the user.  Canonical type values of 'work', 'home', and 'other'.",
      attr('value', 'string', 'Email addresses for the user.'),
      "A label indicating the attribute's function, e.g., 'work' or 'home'.",
      ['work', 'home', 'other'],
      ', e.g., the preferred mailing address or primary email address',
    ),
    multiValuedOf(
      'phoneNumbers',
      "Phone numbers for the User.  Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      attr('value', 'string', 'Phone number of the User.'),
      "A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.",
      ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
      ', e.g., the preferred phone number or primary phone number',
    ),
    multiValuedOf(
      'ims',
      'Instant messaging addresses for the User.',
      attr('value', 'string', 'Instant messaging address for the User.'),
      "A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.",
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
      ', e.g., the preferred messenger or primary messenger',
    ),
    multiValuedOf(
      'photos',
      'URLs of photos of the User.',
      attr('value', 'reference', 'URL of a photo of the User.', { referenceTypes: ['external'] }),
      "A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.",
      ['photo', 'thumbnail'],
      ', e.g., the preferred photo or thumbnail',
    ),
    complex(
      'addresses',
      "A physical mailing address for this User.  Canonical type values of 'work', 'home', and 'other'.",
      [
        attr('formatted', 'string', 'The full mailing address, formatted for display or use with a mailing label.'),
        attr('streetAddress', 'string', 'The full street address component.'),
        attr('locality', 'string', 'The city or locality component.'),
        attr('region', 'string', 'The state or region component.'),
        attr('postalCode', 'string', 'The zip code or postal code component.'),
        attr('country', 'string', 'The country name component.'),
        attr('type', 'string', "A label indicating the attribute's function, e.g., 'work' or 'home'.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        // Deviation: 8.7.1 lists no `primary` here, but section 4.1.2 says addresses carry the
        // multi-valued `primary` sub-attribute, and clients send it (RFC 7643 8.2 example).
        primary(', e.g., the preferred mailing address'),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
      [
        attr('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
        attr('$ref', 'reference', "The URI of the corresponding 'Group' resource to which the user belongs.", {
          mutability: 'readOnly',
          referenceTypes: ['User', 'Group'],
        }),
        attr('display', 'string', DISPLAY_DESCRIPTION, { mutability: 'readOnly' }),
        attr('type', 'string', "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multiValuedOf(
      'entitlements',
      'A list of entitlements for the User that represent a thing the User has.',
      attr('value', 'string', 'The value of an entitlement.'),
      "A label indicating the attribute's function.",
      undefined,
      '',
    ),
    multiValuedOf(
      'roles',
      "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
      attr('value', 'string', 'The value of a role.'),
      "A label indicating the attribute's function.",
      [],
      '',
    ),
    multiValuedOf(
      'x509Certificates',
      'A list of certificates issued to the User.',
      attr('value', 'binary', 'The value of an X.509 certificate.'),
      "A label indicating the attribute's function.",
      [],
      '',
    ),
  ],
};

export const CORE_GROUP: SchemaDef = {
  id: CORE_GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // Deviation: 8.7.1 says `"required": false` while its own description and section 4.1 say
    // "REQUIRED."; a group without a display name cannot be projected, so we follow the prose.
    attr('displayName', 'string', 'A human-readable name for the Group.  REQUIRED.', { required: true }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        attr('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attr('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        // Deviation: 8.7.1 has no `display` here; section 2.4 makes it a default sub-attribute of
        // multi-valued attributes and every major IdP sends it when adding members, so it is accepted
        // once with the member (immutable) instead of being refused as unknown.
        attr('display', 'string', DISPLAY_DESCRIPTION, { mutability: 'immutable' }),
        attr('type', 'string', "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
};

export const ENTERPRISE_USER: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr(
      'employeeNumber',
      'string',
      'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    ),
    attr('costCenter', 'string', 'Identifies the name of a cost center.'),
    attr('organization', 'string', 'Identifies the name of an organization.'),
    attr('division', 'string', 'Identifies the name of a division.'),
    attr('department', 'string', 'Identifies the name of a department.'),
    complex(
      'manager',
      "The User's manager.  A complex type that optionally allows service providers to represent organizational " +
        "hierarchy by referencing the 'id' attribute of another User.",
      [
        attr('value', 'string', "The id of the SCIM resource representing the User's manager.  REQUIRED."),
        attr('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.  REQUIRED.", {
          referenceTypes: ['User'],
        }),
        attr('displayName', 'string', "The displayName of the User's manager.  OPTIONAL and READ-ONLY.", {
          mutability: 'readOnly',
        }),
      ],
    ),
  ],
};

export const USER_RESOURCE_TYPE: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: CORE_USER_SCHEMA,
  schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
};

export const GROUP_RESOURCE_TYPE: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: CORE_GROUP_SCHEMA,
  schemaExtensions: [],
};

/** The URNs this module defines, in resolution order. */
export const RFC_SCHEMA_URNS: readonly string[] = [CORE_USER_SCHEMA, CORE_GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// Shared by every ResourceSchema in the process: frozen so that no consumer can edit the RFC.
for (const d of [COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE, CORE_USER, CORE_GROUP, ENTERPRISE_USER, USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]) {
  deepFreeze(d);
}
