import { cloneJson, jsonEqual } from './json';

describe('cloneJson', () => {
  it('copies a JSON value deeply: changing the copy leaves the original alone', () => {
    const original = { userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }], name: { givenName: 'Ada' }, active: null, n: 3 };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.emails[0].value = 'changed@example.com';
    copy.name.givenName = 'Changed';
    copy.emails.push({ value: 'more@example.com', primary: false });
    expect(original).toEqual({ userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }], name: { givenName: 'Ada' }, active: null, n: 3 });
    expect(cloneJson(undefined)).toBeUndefined();
    expect(cloneJson('text')).toBe('text');
  });

  it('keeps an own "__proto__" key (as JSON.parse makes it) as a key, without changing the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "userName": "ada"}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'userName']);
    expect(jsonEqual(copy, parsed)).toBe(true);
  });
});
