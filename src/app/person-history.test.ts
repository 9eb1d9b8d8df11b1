import { describe, expect, it } from 'vitest';
import { chainRecords, journalAuditRecord } from '../domain/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { accountId, contactId, doceboUserId } from '../domain/ids.ts';
import type { JournalEntry } from '../domain/journal.ts';
import { PLAN_FORMAT_VERSION, type Plan, type PlanItem } from '../domain/plan.ts';
import type { StoredPlan } from '../ports/store.ts';
import { buildPersonHistory, type HistoryInput } from './person-history.ts';

const d = (s: string) => s as IsoDate;
const CHARLIE = contactId('003RO000000123jYAA');
const ACME = accountId('001RO000000123jYAA');

const item: PlanItem = {
  key: `${CHARLIE}:12301`,
  userId: doceboUserId('12301'),
  username: 'cbrown',
  contact: { id: CHARLIE, name: 'Charlie Brown', email: 'charlie.brown@acme.example' },
  account: { id: ACME, name: 'ACME' },
  before: { active: true, expirationDate: null },
  after: { active: false, expirationDate: d('2025-02-27') },
  reasons: [
    {
      rule: 'contact-left',
      effectiveDate: d('2025-02-27'),
      dateFrom: 'field',
      facts: { Left_Date__c: '2025-02-27' },
    },
  ],
};

const plan = (id: string, createdAt: string, items: PlanItem[]): StoredPlan => ({
  status: 'applied',
  plan: {
    formatVersion: PLAN_FORMAT_VERSION,
    id,
    createdAt,
    today: d(createdAt.slice(0, 10)),
    mode: 'expire-and-deactivate',
    basis: { crmDigest: 'a', lmsDigest: 'b' },
    summary: {
      changes: 1,
      deactivations: 1,
      expirationsSet: 1,
      accounts: 1,
      managedContacts: 1,
      linked: 1,
      unmatched: 0,
      ambiguous: 0,
    },
    items,
    unmatched: [],
    ambiguous: [],
  } as Plan,
});

const written: JournalEntry = {
  id: 7,
  runId: 'run-1',
  planId: 'plan-2',
  itemKey: item.key,
  at: '2025-03-01T10:00:05.000Z',
  userId: item.userId,
  username: 'cbrown',
  contactId: CHARLIE,
  accountId: ACME,
  before: item.before,
  after: item.after,
  reasons: item.reasons,
  action: 'retire',
  outcome: 'applied',
  error: null,
};

function input(query: string): HistoryInput {
  const audit = chainRecords(
    null,
    [
      journalAuditRecord(written),
      { kind: 'approval', ref: 'plan:plan-2', payload: { by: 'alice' } },
      { kind: 'drift', ref: 'user:12301', payload: { seen: { active: true } } },
      { kind: 'approval', ref: 'account:001000000000999AAA', payload: { by: 'bob' } },
    ],
    '2025-03-01T10:00:06.000Z',
  );
  return {
    query,
    links: [
      { contactId: CHARLIE, userId: item.userId, matchedOn: 'email', linkedAt: '2025-01-01T00:00:00.000Z' },
    ],
    journal: [written],
    plans: [
      plan('plan-1', '2025-03-01T09:00:00.000Z', [item]),
      plan('plan-2', '2025-03-01T10:00:00.000Z', [item]),
      plan('plan-3', '2025-03-02T10:00:00.000Z', []),
    ],
    audit,
    cachedUsers: {
      users: [
        {
          id: item.userId,
          username: 'cbrown',
          email: 'Charlie.Brown@acme.example',
          firstName: 'Charlie',
          lastName: 'Brown',
          active: false,
          expirationDate: d('2025-02-27'),
          expired: true,
          fields: {},
        },
      ],
      refreshedAt: '2025-03-01T10:00:06.000Z',
    },
  };
}

describe('buildPersonHistory', () => {
  it.each([
    ['an email (through the user cache and the plans)', 'charlie.brown@ACME.example'],
    ['an 18-character contact id', CHARLIE as string],
    ['a 15-character contact id', CHARLIE.slice(0, 15)],
    ['a Docebo user id', '12301'],
    ['a username', 'cbrown'],
  ])('finds the same story from %s', (_what, query) => {
    const h = buildPersonHistory(input(query));
    expect(h).toMatchObject({
      found: true,
      contactIds: [CHARLIE],
      userIds: ['12301'],
      names: ['Charlie Brown'],
    });
    expect(h.links).toHaveLength(1);
    expect(h.docebo).toHaveLength(1);
    expect(h.events.map((e) => [e.type, e.type === 'audit' ? `${e.kind}/${e.via}` : ''])).toEqual([
      ['planned', ''],
      ['wrote', ''],
      ['audit', 'approval/plan'],
      ['audit', 'drift/person'],
    ]);
    const planned = h.events[0];
    expect(planned).toMatchObject({ type: 'planned', planId: 'plan-1', repeats: 2, lastPlanId: 'plan-2' });
  });

  it('reports nothing found for someone the store does not know', () => {
    const h = buildPersonHistory(input('nobody@acme.example'));
    expect(h).toMatchObject({ found: false, events: [], contactIds: [], userIds: [] });
  });
});
