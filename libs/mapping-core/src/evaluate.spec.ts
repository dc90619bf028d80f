import { compileMapping } from './compile';
import { evaluate, type Evaluation } from './evaluate';
import type { RecordKind, SourceRecord } from './record';
import type { MappedValues } from './targets';
import { validateMapping } from './validate';

function run(rules: unknown[], record: SourceRecord, previous?: MappedValues, kind: RecordKind = 'scim'): Evaluation {
  const validation = validateMapping({ kind, rules });
  if (!validation.ok) throw new Error(validation.errors.map((e) => e.message).join('\n'));
  return evaluate(compileMapping(validation.mapping), record, previous);
}

function scim(resource: Record<string, unknown>): SourceRecord {
  return { kind: 'scim', resource };
}

function mapped(evaluation: Evaluation) {
  if (evaluation.outcome !== 'mapped') throw new Error(`expected a mapped user, got ${evaluation.outcome}: ${evaluation.reason}`);
  return evaluation.user;
}

const username = { target: 'username', source: { scim: 'userName' } };
const ada = scim({ userName: 'ada', title: 'Analyst', userType: 'Contractor', active: true });

describe('evaluate', () => {
  it('writes each target from its rule and records which rule produced it', () => {
    const user = mapped(
      run(
        [
          username,
          { target: 'title', source: { scim: 'title' }, transform: ['uppercase'] },
          { target: 'custom:costCenter', source: { constant: 'CC-1' } },
          { target: 'active', source: { scim: 'active' } },
        ],
        ada,
      ),
    );
    expect(user).toEqual({
      fields: { username: 'ada', title: 'ANALYST', active: true },
      custom: { costCenter: 'CC-1' },
      provenance: { username: 0, title: 1, 'custom:costCenter': 2, active: 3 },
    });
  });

  it('leaves fields without a rule out of the result', () => {
    const user = mapped(run([username], ada));
    expect(user.fields).toEqual({ username: 'ada' });
    expect(user.custom).toEqual({});
  });

  it('reads active from "true"/"false" text in any case', () => {
    const rule = { target: 'active', source: { scim: 'urn:acme:1.0:User:state' } };
    const withState = (state: string) => run([username, rule], scim({ userName: 'ada', 'urn:acme:1.0:User': { state } }));
    expect(mapped(withState('False')).fields.active).toBe(false);
    expect(mapped(withState(' TRUE ')).fields.active).toBe(true);
    expect(withState('enabled')).toEqual({
      outcome: 'skipped',
      rule: 1,
      reason: 'rules[1] (active): "enabled" is neither "true" nor "false"',
    });
  });

  describe('when the source yields no value', () => {
    const title = { target: 'title', source: { scim: 'title' } };
    const noTitle = scim({ userName: 'ada' });
    const previous: MappedValues = { fields: { username: 'ada', title: 'Old title', active: false }, custom: { badge: 'B-7' } };

    it('clears the field by default, and with onEmpty "clear"', () => {
      expect(mapped(run([username, title], noTitle)).fields.title).toBeNull();
      const user = mapped(run([username, { ...title, onEmpty: 'clear' }], noTitle, previous));
      expect(user.fields.title).toBeNull();
      expect(user.provenance.title).toBe(1);
    });

    it('writes the default with onEmpty "default"', () => {
      const user = mapped(
        run(
          [username, { ...title, onEmpty: 'default', default: 'Staff' }, { target: 'active', source: { scim: 'active' }, onEmpty: 'default', default: 'false' }],
          noTitle,
        ),
      );
      expect(user.fields).toEqual({ username: 'ada', title: 'Staff', active: false });
      expect(user.provenance).toEqual({ username: 0, title: 'default', active: 'default' });
    });

    it('keeps the previous value with onEmpty "keep"', () => {
      const user = mapped(
        run(
          [
            username,
            { ...title, onEmpty: 'keep' },
            { target: 'active', source: { scim: 'active' }, onEmpty: 'keep' },
            { target: 'custom:badge', source: { scim: 'urn:acme:1.0:User:badge' }, onEmpty: 'keep' },
          ],
          noTitle,
          previous,
        ),
      );
      expect(user.fields).toEqual({ username: 'ada', title: 'Old title', active: false });
      expect(user.custom).toEqual({ badge: 'B-7' });
      expect(user.provenance).toEqual({ username: 0, title: 'kept', active: 'kept', 'custom:badge': 'kept' });
    });

    it('leaves the field out with onEmpty "keep" when there is nothing to keep', () => {
      const user = mapped(run([username, { ...title, onEmpty: 'keep' }], noTitle));
      expect('title' in user.fields).toBe(false);
      expect(user.provenance).toEqual({ username: 0 });
    });

    it('prefers a present value over keeping the previous one', () => {
      expect(mapped(run([username, { ...title, onEmpty: 'keep' }], ada, previous)).fields.title).toBe('Analyst');
    });

    it('skips the record with onEmpty "skip", naming the rule and the source', () => {
      expect(run([username, { target: 'email', source: { scim: 'emails[type eq "work"].value' }, onEmpty: 'skip' }], ada)).toEqual({
        outcome: 'skipped',
        rule: 1,
        reason: 'rules[1] (email): emails[type eq "work"].value has no value, and the rule skips such records',
      });
    });

    it('counts a value the transformations empty as no value', () => {
      const rule = { target: 'title', source: { scim: 'title' }, transform: [{ replace: { pattern: '^Analyst$', with: '' } }], onEmpty: 'default', default: 'n/a' };
      expect(mapped(run([username, rule], ada)).fields.title).toBe('n/a');
    });

    it('skips a record without a username unless a previous one is kept', () => {
      expect(run([username, title], scim({ title: 'x' }))).toEqual({
        outcome: 'skipped',
        rule: 0,
        reason: 'rules[0] (username): userName has no value, and the rule skips such records',
      });
      const keep = [title, { ...username, onEmpty: 'keep' }];
      expect(run(keep, scim({ title: 'x' }))).toEqual({
        outcome: 'skipped',
        rule: 1,
        reason: 'rules[1] (username): no username, and no previous username to keep',
      });
      expect(mapped(run(keep, scim({ title: 'x' }), previous)).fields.username).toBe('ada');
    });
  });

  describe('drop rules', () => {
    const dropWhen = (when: unknown) => ({ drop: { when } });

    it('drops on equals, matches and empty conditions, saying which rule and why', () => {
      expect(run([username, dropWhen({ source: { scim: 'userType' }, equals: 'Contractor' })], ada)).toEqual({
        outcome: 'dropped',
        rule: 1,
        reason: 'rules[1] (drop): userType equals "Contractor"',
      });
      expect(run([username, dropWhen({ source: { scim: 'userName' }, matches: '(?i)^AD' })], ada)).toEqual({
        outcome: 'dropped',
        rule: 1,
        reason: 'rules[1] (drop): userName is "ada", which matches /(?i)^AD/',
      });
      expect(run([username, dropWhen({ source: { scim: 'emails.value' }, empty: true })], ada)).toEqual({
        outcome: 'dropped',
        rule: 1,
        reason: 'rules[1] (drop): emails.value is empty',
      });
      expect(run([username, dropWhen({ source: { scim: 'title' }, empty: false })], ada)).toMatchObject({ outcome: 'dropped', reason: 'rules[1] (drop): title is not empty ("Analyst")' });
    });

    it('maps the record when no condition holds', () => {
      const rules = [
        username,
        dropWhen({ source: { scim: 'userType' }, equals: 'contractor' }),
        dropWhen({ source: { scim: 'userName' }, matches: '^svc-' }),
        dropWhen({ source: { scim: 'userName' }, empty: true }),
        dropWhen({ source: { scim: 'nickName' }, equals: 'ada' }),
      ];
      expect(run(rules, ada).outcome).toBe('mapped');
    });

    it('checks drop rules before field rules, wherever they stand, and reports the first that holds', () => {
      const rules = [
        username,
        { target: 'email', source: { scim: 'emails.value' }, onEmpty: 'skip' },
        dropWhen({ source: { scim: 'title' }, equals: 'Analyst' }),
        dropWhen({ source: { scim: 'userType' }, equals: 'Contractor' }),
      ];
      expect(run(rules, ada)).toMatchObject({ outcome: 'dropped', rule: 2 });
    });
  });

  it('maps LDAP entries', () => {
    const user = mapped(
      run(
        [
          { target: 'username', source: { ldap: 'uid' } },
          { target: 'email', source: { template: '{uid}@corp.example' } },
        ],
        { kind: 'ldap', entry: { UID: 'grace' } },
        undefined,
        'ldap',
      ),
    );
    expect(user.fields).toEqual({ username: 'grace', email: 'grace@corp.example' });
  });

  it('refuses a record of the other kind', () => {
    const validation = validateMapping({ kind: 'scim', rules: [username] });
    if (!validation.ok) throw new Error('invalid');
    expect(() => evaluate(compileMapping(validation.mapping), { kind: 'ldap', entry: { uid: 'x' } })).toThrow('This mapping reads scim records, not ldap records');
  });
});
