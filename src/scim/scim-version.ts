// Which SCIM version a request speaks, from its URL: a scim1 connector is served at /scim/v1/{id},
// a scim2 one at /scim/v2/{id}. Guards, error rendering and the 405 hook all ask here.

const SCIM1_URL = /^\/scim\/v1\//i;

export function protocolOfUrl(url: string): 'scim1' | 'scim2' {
  return SCIM1_URL.test(url) ? 'scim1' : 'scim2';
}

/** SCIM 1.1 predates application/scim+json: its messages are application/json. */
export const SCIM1_CONTENT_TYPE = 'application/json; charset=utf-8';
