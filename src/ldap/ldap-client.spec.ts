import { Entry } from 'ldapts';
import { attribute, recordId, toRecord } from './ldap-client';

describe('recordId', () => {
  it('takes an entryUUID as it is, lower-cased', () => {
    expect(recordId('5B1C2E5E-3F1D-103F-8A4E-2B7D6E0C1A9F')).toBe('5b1c2e5e-3f1d-103f-8a4e-2b7d6e0c1a9f');
  });

  it('turns a 16-byte objectGUID (base64) into a UUID, always the same one', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64');
    expect(recordId(guid)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });

  it('refuses anything else', () => {
    expect(recordId(undefined)).toBeNull();
    expect(recordId('')).toBeNull();
    expect(recordId('ada')).toBeNull();
    expect(recordId(Buffer.alloc(15).toString('base64'))).toBeNull();
  });
});

describe('attribute', () => {
  it('reads a name whatever its case, and the first of several values', () => {
    expect(attribute({ dn: 'uid=ada', entryUUID: 'x', mail: ['a@x', 'b@x'] }, 'entryuuid')).toBe('x');
    expect(attribute({ dn: 'uid=ada', mail: ['a@x', 'b@x'] }, 'MAIL')).toBe('a@x');
    expect(attribute({ dn: 'uid=ada' }, 'title')).toBeUndefined();
  });
});

describe('toRecord', () => {
  it('keeps every attribute but passwords and their hashes, binary values in base64', () => {
    const entry = {
      dn: 'uid=ada,ou=people,dc=example,dc=com',
      uid: 'ada',
      mail: ['a@x', 'b@x'],
      userPassword: '{SSHA}secret',
      'unicodePwd;binary': Buffer.from('x'),
      sambaNTPassword: 'hash',
      jpegPhoto: Buffer.from([1, 2, 3]),
    } as unknown as Entry;
    expect(toRecord(entry)).toEqual({ dn: 'uid=ada,ou=people,dc=example,dc=com', uid: 'ada', mail: ['a@x', 'b@x'], jpegPhoto: 'AQID' });
  });
});
