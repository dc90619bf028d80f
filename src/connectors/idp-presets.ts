// What a connector's IdP preset changes in how Roster answers. What Roster accepts is the same for
// every connector (libs/scim-core/src/compat normalises every IdP's quirks); default mappings per
// preset live in libs/mapping-core.
import { IdpPreset } from './connector.entity';

export interface IdpAnswers {
  /**
   * A PATCH without attributes/excludedAttributes answers 200 with the resource (RFC 7644 3.5.2,
   * what Okta's tests check) or 204 No Content (what Entra ID asks for and Microsoft's tests check).
   */
  patch: 'resource' | 'noContent';
}

const RFC: IdpAnswers = { patch: 'resource' };

export const IDP_ANSWERS: Record<IdpPreset, IdpAnswers> = {
  okta: RFC,
  entra: { patch: 'noContent' },
  onelogin: RFC,
  miniorange: RFC,
  jumpcloud: RFC,
  google: RFC,
  generic: RFC,
};
