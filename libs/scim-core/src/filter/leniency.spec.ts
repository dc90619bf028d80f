import { parseFilter } from './parser';
import { quoteBareFilterValues } from './leniency';

describe('quoteBareFilterValues', () => {
  it.each([
    ['externalId eq jyoung', 'externalId eq "jyoung"'],
    ['userName sw O', 'userName sw "O"'],
    [
      'name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
      'name.FamilyName eq "Employee" and (emails.Value co "example.com" or emails.Value co "example.org")',
    ],
    ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', 'meta.Created gt "2015-10-10T14:38:21.8617979-07:00"'],
    ['emails[type eq work].value eq a@b.c', 'emails[type eq "work"].value eq "a@b.c"'],
  ])('quotes the bare values of %s', (input, expected) => {
    expect(quoteBareFilterValues(input)).toBe(expected);
    expect(() => parseFilter(quoteBareFilterValues(input))).not.toThrow();
  });

  it.each([
    'userName eq "bare words stay inside quotes eq x"',
    'active eq true and x.y eq null and level gt -1.5e3',
    'title pr',
    'not (userName eq "a\\"b") or emails[type eq "work"]',
  ])('leaves a valid filter unchanged: %s', (input) => {
    expect(quoteBareFilterValues(input)).toBe(input);
  });

  it('does not make a broken filter valid by accident', () => {
    expect(() => parseFilter(quoteBareFilterValues('userName eq'))).toThrow();
    expect(() => parseFilter(quoteBareFilterValues('userName zz x'))).toThrow();
  });
});
