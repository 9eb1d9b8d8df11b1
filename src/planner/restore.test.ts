import { describe, expect, it } from 'vitest';
import { account, contact, d, user } from '../../test/helpers/facts.ts';
import { factValue, type ContactFacts } from '../domain/crm.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { AccessState } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import type { Reason } from '../domain/plan.ts';
import { buildPlan, type PlanInput } from './build-plan.ts';
import { foldOwnership } from './ownership.ts';
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

const TODAY = d('2026-11-24');
const RETIRED = d('2026-10-31');
const acmeActive = account(1, 'ACME', { Status__c: 'Active', Retired_Date__c: null });
const acmeInactive = account(1, 'ACME', { Status__c: 'Inactive', Retired_Date__c: RETIRED });

const active: AccessState = { active: true, expirationDate: null };
const retiredState: AccessState = { active: false, expirationDate: RETIRED };
const accountReason: Reason = {
  rule: 'account-retired',
  effectiveDate: RETIRED,
  dateFrom: 'field',
  facts: { 'Account.Status__c': 'Inactive', 'Account.Retired_Date__c': RETIRED },
};

let nextId = 1;
function entry(n: number, over: Partial<JournalEntry> = {}): JournalEntry {
  const u = user(n);
  const c = contact(n);
  return {
    id: nextId++,
    runId: 'run-1',
    planId: 'plan-0',
    itemKey: `${c.id}:${u.id}`,
    at: '2026-11-01T10:00:00.000Z',
    userId: u.id,
    username: u.username,
    contactId: c.id,
    accountId: acmeActive.id,
    before: active,
    after: retiredState,
    reasons: [accountReason],
    action: 'retire',
    outcome: 'applied',
    error: null,
    ...over,
  };
}

function input(over: Partial<PlanInput>): PlanInput {
  return {
    id: 'plan-1',
    createdAt: '2026-11-24T10:00:00.000Z',
    today: TODAY,
    mode: 'expire-and-deactivate',
    contacts: [],
    users: [],
    matchKeys: [{ docebo: 'email', salesforce: 'Email' }],
    rules: [accountRetired, contactLeft],
    observations: [],
    ...over,
  };
}

interface Case {
  name: string;
  contactFields?: Record<string, string | null>;
  acme: typeof acmeActive;
  docebo: AccessState;
  journal: Partial<JournalEntry>[];
  expect: null | { action: 'restore' | 'retire'; after: AccessState; drift?: boolean };
}

const cases: Case[] = [
  {
    name: 'retired by Roster, rule stopped holding → restored to the state before',
    acme: acmeActive,
    docebo: retiredState,
    journal: [{}],
    expect: { action: 'restore', after: active },
  },
  {
    name: 'retired by Roster from an earlier own expiration → restored to exactly that state',
    acme: acmeActive,
    docebo: { active: false, expirationDate: d('2026-09-01') },
    journal: [
      {
        before: { active: true, expirationDate: d('2026-09-01') },
        after: { active: false, expirationDate: d('2026-09-01') },
      },
    ],
    expect: { action: 'restore', after: { active: true, expirationDate: d('2026-09-01') } },
  },
  {
    name: 'an admin changed it since Roster retired them → untouched',
    acme: acmeActive,
    docebo: { active: false, expirationDate: d('2026-12-31') },
    journal: [{}],
    expect: null,
  },
  {
    name: 'retired by hand (no Roster entry) → never reactivated',
    acme: acmeActive,
    docebo: retiredState,
    journal: [],
    expect: null,
  },
  {
    name: 'retired by Roster, but only a failed entry → untouched',
    acme: acmeActive,
    docebo: retiredState,
    journal: [{ outcome: 'failed' }],
    expect: null,
  },
  {
    name: 'Roster already restored them → nothing more',
    acme: acmeActive,
    docebo: active,
    journal: [{}, { action: 'restore', before: retiredState, after: active }],
    expect: null,
  },
  {
    name: 'another rule still holds (they also left) → not restored; same date, nothing to do',
    acme: acmeActive,
    contactFields: { Left_Date__c: RETIRED },
    docebo: retiredState,
    journal: [{}],
    expect: null,
  },
  {
    name: 'another rule holds with a later date → not restored, earlier expiration kept',
    acme: acmeActive,
    contactFields: { Left_Date__c: '2026-11-15' },
    docebo: retiredState,
    journal: [{}],
    expect: null,
  },
  {
    name: 'a future retirement then the deactivation on the day → restored to before the first',
    acme: acmeActive,
    docebo: retiredState,
    journal: [
      { before: active, after: { active: true, expirationDate: RETIRED } },
      { before: { active: true, expirationDate: RETIRED }, after: retiredState, runId: 'run-2' },
    ],
    expect: { action: 'restore', after: active },
  },
  {
    name: 'drift: rule holds, Roster retired them, an admin reactivated → retired again, flagged',
    acme: acmeInactive,
    docebo: { active: true, expirationDate: RETIRED },
    journal: [{}],
    expect: { action: 'retire', after: retiredState, drift: true },
  },
  {
    name: 'drift: an admin removed the expiration Roster set → retired again, flagged',
    acme: acmeInactive,
    docebo: { active: true, expirationDate: null },
    journal: [{}],
    expect: { action: 'retire', after: retiredState, drift: true },
  },
  {
    name: 'a user reactivated by hand whom Roster never retired → retired, not drift',
    acme: acmeInactive,
    docebo: active,
    journal: [],
    expect: { action: 'retire', after: retiredState },
  },
];

describe('buildPlan with ownership: restores and drift', () => {
  it.each(cases)('$name', (tc) => {
    const u = user(1, { active: tc.docebo.active, expirationDate: tc.docebo.expirationDate });
    const c = contact(1, {
      account: tc.acme,
      name: 'Charlie Brown',
      fields: { Left_Date__c: null, ...tc.contactFields },
    });
    const ownership: OwnershipRecord[] = foldOwnership(tc.journal.map((j) => entry(1, j)));
    const { plan } = buildPlan(input({ contacts: [c], users: [u], ownership }));
    if (tc.expect === null) {
      expect(plan.items).toEqual([]);
      return;
    }
    expect(plan.items).toHaveLength(1);
    const item = plan.items[0]!;
    expect(item.action).toBe(tc.expect.action);
    expect(item.after).toEqual(tc.expect.after);
    expect(item.drift === true).toBe(tc.expect.drift === true);
  });

  it('a restore says which rules Roster retired them for, and what Salesforce says now', () => {
    const u = user(1, { active: false, expirationDate: RETIRED });
    const c = contact(1, { account: acmeActive, fields: { Left_Date__c: null } });
    const { plan } = buildPlan(input({ contacts: [c], users: [u], ownership: foldOwnership([entry(1)]) }));
    expect(plan.items[0]).toMatchObject({
      action: 'restore',
      before: retiredState,
      after: active,
      reasons: [
        {
          rule: 'restore',
          facts: {
            'Roster retired them for': 'account-retired',
            'Account.Status__c': 'Active',
            'Account.Retired_Date__c': null,
          },
        },
      ],
    });
    expect(plan.summary).toMatchObject({ changes: 1, restores: 1, expirationsSet: 0, deactivations: 0 });
  });

  it('without ownership, planning is as before: no restores, every item a retirement', () => {
    const users = [user(1, { active: false, expirationDate: RETIRED }), user(2)];
    const contacts = [
      contact(1, { account: acmeActive, fields: { Left_Date__c: null } }),
      contact(2, { account: acmeInactive, fields: { Left_Date__c: null } }),
    ];
    const { plan } = buildPlan(input({ contacts, users }));
    expect(plan.items.map((i) => [i.username, i.action, i.drift])).toEqual([['user2', 'retire', undefined]]);
  });
});

describe('foldOwnership', () => {
  it('keeps the latest applied change per user, ignoring pending and failed ones', () => {
    const records = foldOwnership([
      entry(1, { runId: 'a' }),
      entry(1, { runId: 'b', action: 'restore', before: retiredState, after: active }),
      entry(1, { runId: 'c', outcome: 'failed' }),
      entry(2, { runId: 'a' }),
      entry(2, { runId: 'd', outcome: 'pending' }),
      entry(3, { runId: 'x', outcome: 'failed' }),
    ]);
    expect(records.map((r) => [r.username, r.runId, r.action])).toEqual([
      ['user1', 'b', 'restore'],
      ['user2', 'a', 'retire'],
    ]);
  });

  it('reaches back through a chain of retirements, but not past a change made by hand in between', () => {
    const expiring = { active: true, expirationDate: RETIRED };
    const chained = foldOwnership([
      entry(1, { before: active, after: expiring }),
      entry(1, { before: expiring, after: retiredState, runId: 'run-2' }),
    ]);
    expect(chained[0]).toMatchObject({ runId: 'run-2', before: active, after: retiredState });
    const broken = foldOwnership([
      entry(1, { before: active, after: expiring }),
      entry(1, { before: { active: true, expirationDate: d('2026-10-15') }, after: retiredState }),
    ]);
    expect(broken[0]).toMatchObject({ before: { active: true, expirationDate: '2026-10-15' } });
  });
});
