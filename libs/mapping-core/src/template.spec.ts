import { parseTemplate } from './template';

describe('parseTemplate', () => {
  it('splits literals and placeholders', () => {
    expect(parseTemplate('{name.givenName}.{ name.familyName }@corp.example')).toEqual([
      { placeholder: 'name.givenName' },
      { literal: '.' },
      { placeholder: 'name.familyName' },
      { literal: '@corp.example' },
    ]);
  });

  it('ends a placeholder at the first brace outside a quoted string', () => {
    expect(parseTemplate('{emails[type eq "a}b\\"c"].value}')).toEqual([{ placeholder: 'emails[type eq "a}b\\"c"].value' }]);
  });

  it('reads doubled braces as literal braces', () => {
    expect(parseTemplate('{{{uid}}}')).toEqual([{ literal: '{' }, { placeholder: 'uid' }, { literal: '}' }]);
  });

  it.each([
    ['{uid', 'the "{" at 0 is never closed'],
    ['uid}', 'the "}" at 3 closes nothing'],
    ['a{ }b', 'the placeholder at 1 is empty'],
    ['no placeholders {{here}}', 'has no {placeholder}'],
  ])('refuses %j', (text, message) => {
    expect(() => parseTemplate(text)).toThrow(message);
  });
});
