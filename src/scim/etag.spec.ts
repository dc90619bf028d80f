import { ScimError } from '@roster/scim-core';
import { checkIfMatch, etag, notModified } from './etag';

describe('ETags', () => {
  it('renders versions as weak tags', () => {
    expect(etag(3)).toBe('W/"3"');
  });

  it.each([undefined, 'W/"3"', '"3"', '*', 'W/"1", W/"3"'])('If-Match %j passes for version 3', (header) => {
    expect(() => checkIfMatch(header, 3)).not.toThrow();
  });

  it.each(['W/"2"', '"4"', 'W/"1", W/"2"'])('If-Match %j fails with 412 for version 3', (header) => {
    expect(() => checkIfMatch(header, 3)).toThrow(ScimError);
    try {
      checkIfMatch(header, 3);
    } catch (e) {
      expect((e as ScimError).status).toBe(412);
    }
  });

  it('If-None-Match matches the current version or *', () => {
    expect(notModified('W/"3"', 3)).toBe(true);
    expect(notModified('*', 3)).toBe(true);
    expect(notModified('W/"2"', 3)).toBe(false);
    expect(notModified(undefined, 3)).toBe(false);
  });
});
