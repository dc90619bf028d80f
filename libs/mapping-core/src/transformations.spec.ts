import type { Transformation } from './mapping';
import { compileTransformations } from './transformations';

function apply(value: string, ...chain: Transformation[]): string | undefined {
  return compileTransformations(chain)(value);
}

describe('transformations', () => {
  it('changes case and trims', () => {
    expect(apply('Ada.Lovelace@Example.COM', 'lowercase')).toBe('ada.lovelace@example.com');
    expect(apply('cc-42', 'uppercase')).toBe('CC-42');
    expect(apply('  Ada  ', 'trim')).toBe('Ada');
  });

  it('replaces with RE2, the first match unless the g flag is given, with capture groups', () => {
    expect(apply('a.b.c', { replace: { pattern: '\\.', with: '_' } })).toBe('a_b.c');
    expect(apply('a.b.c', { replace: { pattern: '\\.', with: '_', flags: 'g' } })).toBe('a_b_c');
    expect(apply('lovelace@example.com', { replace: { pattern: '^([^@]+)@(.+)$', with: '$2\\$1' } })).toBe('example.com\\lovelace');
    expect(apply('ADA', { replace: { pattern: 'ada', with: 'x', flags: 'i' } })).toBe('x');
  });

  it('runs patterns that backtrack catastrophically elsewhere to completion (RE2, not the JS engine)', () => {
    // No clock here: a backtracking engine would not finish the 100,000-character input at all, so a
    // regression shows as this test never completing (Jest's timeout), not as a slow number.
    for (const length of [26, 100_000]) {
      const hostile = `${'a'.repeat(length)}!`;
      expect(apply(hostile, { replace: { pattern: '(a+)+$', with: 'x' } })).toBe(hostile);
    }
  });

  it('splits on a literal separator, counting negative indexes from the end', () => {
    expect(apply('CORP\\ada', { split: { separator: '\\', index: 1 } })).toBe('ada');
    expect(apply('ou=eng,ou=rd,dc=corp', { split: { separator: ',', index: -1 } })).toBe('dc=corp');
    expect(apply('a.b', { split: { separator: '.', index: 0 } })).toBe('a');
  });

  it('maps values through a table, with or without a default', () => {
    const table = { ENG: 'Engineering', OPS: 'Operations' };
    expect(apply('ENG', { map: { table } })).toBe('Engineering');
    expect(apply('HR', { map: { table } })).toBe('HR');
    expect(apply('HR', { map: { table, default: 'Other' } })).toBe('Other');
    expect(apply('eng', { map: { table } })).toBe('eng');
    expect(apply('eng', 'uppercase', { map: { table } })).toBe('Engineering');
  });

  it('does not read inherited properties as table entries', () => {
    expect(apply('constructor', { map: { table: { a: 'b' } } })).toBe('constructor');
  });

  it('adds a prefix or a suffix', () => {
    expect(apply('1815', { prefix: 'E-' }, { suffix: '/uk' })).toBe('E-1815/uk');
  });

  it('reads the ACCOUNTDISABLE bit of an Active Directory userAccountControl', () => {
    expect(apply('512', 'adAccountActive')).toBe('true');
    expect(apply('514', 'adAccountActive')).toBe('false');
    expect(apply('66050', 'adAccountActive')).toBe('false');
    expect(apply('66048', 'adAccountActive')).toBe('true');
    expect(apply('disabled', 'adAccountActive')).toBeUndefined();
  });

  it('applies a chain in order', () => {
    expect(apply('  Ada.LOVELACE@Corp.Example ', 'trim', { split: { separator: '@', index: 0 } }, 'lowercase', { replace: { pattern: '\\.', with: '_' } })).toBe(
      'ada_lovelace',
    );
    expect(apply('Ada', 'uppercase', { map: { table: { ADA: 'mapped' } } })).toBe('mapped');
    expect(apply('Ada', { map: { table: { ADA: 'mapped' } } }, 'uppercase')).toBe('ADA');
  });

  it('stops at the first step that leaves no value', () => {
    expect(apply('a.b', { split: { separator: '.', index: 5 } }, { prefix: 'x-' })).toBeUndefined();
    expect(apply('   ', 'trim', { suffix: '!' })).toBeUndefined();
    expect(apply('contractor', { map: { table: { contractor: '' } } }, { prefix: 'x' })).toBeUndefined();
  });
});
