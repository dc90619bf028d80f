import { bearerToken, generateToken, hashToken, tokenMatches } from './tokens';

describe('bearer tokens', () => {
  it('generates distinct 256-bit tokens with their prefix', () => {
    const a = generateToken('rst');
    const b = generateToken('rst');
    expect(a).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('matches a token only against its own hash', () => {
    const token = generateToken('rst');
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(generateToken('rst'), hashToken(token))).toBe(false);
    expect(tokenMatches(token, null)).toBe(false);
    expect(tokenMatches(token, 'abc')).toBe(false);
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
