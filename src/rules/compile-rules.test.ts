import { describe, expect, it } from 'vitest';
import { account, contact, d } from '../../test/helpers/facts.ts';
import { RosterError } from '../domain/errors.ts';
import { compileRules, ruleProblems } from './compile-rules.ts';

const acme = account(1, 'ACME', { Status__c: 'Inactive', Retired_Date__c: '2026-10-31' });
const globex = account(2, 'Globex', { Status__c: 'Active', Retired_Date__c: null });

describe('compileRules', () => {
  const [accountRetired, contactLeft] = compileRules([
    { name: 'account-retired', when: "Account.Status__c = 'Inactive'", retireOn: 'account.Retired_Date__c' },
    {
      name: 'contact-left',
      when: 'Left_Date__c != null AND Left_Date__c <= TODAY',
      retireOn: 'Left_Date__c',
    },
  ]);

  it('keeps name, canonical date field and the field paths the rule reads', () => {
    expect(accountRetired).toMatchObject({
      name: 'account-retired',
      retireOn: 'Account.Retired_Date__c',
      effectiveDateField: 'Account.Retired_Date__c',
      fields: ['Account.Status__c'],
    });
    expect(contactLeft?.fields).toEqual(['Left_Date__c']);
  });

  it.each([
    ['ACME contact', contact(1, { account: acme, fields: { Left_Date__c: null } }), true, false],
    [
      'Globex leaver (past)',
      contact(2, { account: globex, fields: { Left_Date__c: '2026-11-01' } }),
      false,
      true,
    ],
    [
      'Globex leaver (future)',
      contact(3, { account: globex, fields: { Left_Date__c: '2026-12-01' } }),
      false,
      false,
    ],
    ['no account', contact(4, { account: null, fields: { Left_Date__c: null } }), false, false],
  ])('%s', (_label, c, retired, left) => {
    expect(accountRetired?.holds(c, d('2026-11-24'))).toBe(retired);
    expect(contactLeft?.holds(c, d('2026-11-24'))).toBe(left);
  });

  it('has no date field when retireOn is absent or empty', () => {
    const rules = compileRules([
      { name: 'a', when: 'X__c = TRUE' },
      { name: 'b', when: 'X__c = TRUE', retireOn: '' },
      { name: 'c', when: 'X__c = TRUE', retireOn: null },
    ]);
    expect(rules.map((r) => r.retireOn)).toEqual([null, null, null]);
  });

  it('reports every broken rule at its path, all at once', () => {
    const rules = [
      { name: 'ok', when: 'X__c = TRUE' },
      { name: 'bad-when', when: "Owner.Name = 'x'" },
      { name: 'bad-date', when: 'X__c = TRUE', retireOn: 'Account.Owner.Date__c' },
      { name: 'both', when: 'X__c = = 1', retireOn: 'not a field' },
    ];
    expect(ruleProblems(rules).map((p) => p.path)).toEqual([
      'rules[1].when',
      'rules[2].retireOn',
      'rules[3].when',
      'rules[3].retireOn',
    ]);
    let error: unknown;
    try {
      compileRules(rules);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RosterError);
    expect((error as RosterError).code).toBe('ROSTER_CONFIG_INVALID');
    expect((error as RosterError).message).toContain('- rules[1].when: "Owner.Name" reaches through');
    expect((error as RosterError).details).toHaveLength(4);
  });
});
