import { describe, expect, it } from 'vitest';
import { factValue, type ContactFacts } from '../domain/crm.ts';
import { account, contact, d, user } from '../../test/helpers/facts.ts';
import { buildPlan, type PlanInput } from './build-plan.ts';
import type { RuleSpec } from './reasons.ts';

const accountRetired: RuleSpec = {
  name: 'account-retired',
  retireOn: 'Account.Retired_Date__c',
  fields: ['Account.Status__c'],
  holds: (c: ContactFacts) => factValue(c, 'Account.Status__c') === 'Inactive',
};
const contactLeft: RuleSpec = {
  name: 'contact-left',
  retireOn: 'Left_Date__c',
  fields: ['Left_Date__c'],
  holds: (c: ContactFacts) => factValue(c, 'Left_Date__c') != null,
};

const acme = account(1, 'ACME', { Status__c: 'Inactive', Retired_Date__c: '2026-10-31' });
const globex = account(2, 'Globex', { Status__c: 'Active', Retired_Date__c: null });

function input(over: Partial<PlanInput>): PlanInput {
  return {
    id: 'plan-1',
    createdAt: '2026-11-24T10:00:00.000Z',
    today: d('2026-11-24'),
    mode: 'expire-and-deactivate',
    contacts: [],
    users: [],
    matchKeys: [{ docebo: 'email', salesforce: 'Email' }],
    rules: [accountRetired, contactLeft],
    observations: [],
    ...over,
  };
}

describe('buildPlan', () => {
  it('retires every linked contact of a retired account, from its date, and nobody else', () => {
    const contacts = [
      contact(1, { account: acme, name: 'Charlie Brown', fields: { Left_Date__c: null } }),
      contact(2, { account: acme, fields: { Left_Date__c: null } }),
      contact(3, { account: globex, fields: { Left_Date__c: null } }),
    ];
    const { plan, links } = buildPlan(input({ contacts, users: [user(1), user(2), user(3)] }));
    expect(plan.items.map((i) => i.username)).toEqual(['user1', 'user2']);
    expect(plan.items[0]).toMatchObject({
      account: { name: 'ACME' },
      before: { active: true, expirationDate: null },
      after: { active: false, expirationDate: '2026-10-31' },
      reasons: [
        {
          rule: 'account-retired',
          effectiveDate: '2026-10-31',
          dateFrom: 'field',
          facts: { 'Account.Status__c': 'Inactive', 'Account.Retired_Date__c': '2026-10-31' },
        },
      ],
    });
    expect(plan.summary).toMatchObject({
      changes: 2,
      deactivations: 2,
      expirationsSet: 2,
      accounts: 1,
      linked: 3,
    });
    expect(links).toHaveLength(3);
  });

  it('retires a leaver of an active account from the leaving date', () => {
    const contacts = [contact(1, { account: globex, fields: { Left_Date__c: '2026-11-20' } })];
    const { plan } = buildPlan(input({ contacts, users: [user(1)] }));
    expect(plan.items.map((i) => [i.after, i.reasons.map((r) => r.rule)])).toEqual([
      [{ active: false, expirationDate: '2026-11-20' }, ['contact-left']],
    ]);
  });

  it('uses the day a rule was first seen when its date field is empty, and remembers it', () => {
    const noDate = account(3, 'Initech', { Status__c: 'Inactive', Retired_Date__c: null });
    const contacts = [contact(1, { account: noDate, fields: { Left_Date__c: null } })];
    const first = buildPlan(input({ contacts, users: [user(1)], mode: 'expire' }));
    expect(first.plan.items[0]?.after.expirationDate).toBe('2026-11-24');
    expect(first.plan.items[0]?.reasons[0]?.dateFrom).toBe('first-seen');
    expect(first.observations.add).toEqual([
      { contactId: contacts[0]?.id, rule: 'account-retired', firstSeen: '2026-11-24' },
    ]);

    const later = buildPlan(
      input({
        contacts,
        users: [user(1)],
        today: d('2026-11-30'),
        observations: first.observations.add,
        mode: 'expire',
      }),
    );
    expect(later.plan.items[0]?.after.expirationDate).toBe('2026-11-24');
    expect(later.observations.add).toEqual([]);
  });

  it('forgets a sighting when the rule stops holding', () => {
    const c = contact(1, { account: globex, fields: { Left_Date__c: null } });
    const out = buildPlan(
      input({
        contacts: [c],
        observations: [{ contactId: c.id, rule: 'account-retired', firstSeen: d('2026-11-01') }],
      }),
    );
    expect(out.observations.remove).toEqual([{ contactId: c.id, rule: 'account-retired' }]);
  });

  it('plans nothing for a user already in the desired state', () => {
    const contacts = [contact(1, { account: acme, fields: { Left_Date__c: null } })];
    const done = user(1, { active: false, expirationDate: d('2026-10-31'), expired: true });
    expect(buildPlan(input({ contacts, users: [done] })).plan.items).toEqual([]);
  });

  it('reports an unmatched leaver with its reasons, and writes nothing for it', () => {
    const contacts = [contact(1, { account: acme, fields: { Left_Date__c: null } })];
    const { plan } = buildPlan(input({ contacts, users: [] }));
    expect(plan.items).toEqual([]);
    expect(plan.unmatched[0]?.reasons.map((r) => r.rule)).toEqual(['account-retired']);
  });

  it('gives the same digests for the same facts in any order, and different ones when they move', () => {
    const contacts = [contact(1, { account: acme }), contact(2, { account: globex })];
    const a = buildPlan(input({ contacts, users: [user(1), user(2)] })).plan.basis;
    const b = buildPlan(input({ contacts: [...contacts].reverse(), users: [user(2), user(1)] })).plan.basis;
    const c = buildPlan(input({ contacts, users: [user(1), user(2, { active: false })] })).plan.basis;
    expect(b).toEqual(a);
    expect(c.lmsDigest).not.toBe(a.lmsDigest);
    expect(c.crmDigest).toBe(a.crmDigest);
  });
});
