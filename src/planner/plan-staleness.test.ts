import { describe, expect, it } from 'vitest';
import { accountId, contactId, doceboUserId } from '../domain/ids.ts';
import { PLAN_FORMAT_VERSION, type Plan, type PlanItem } from '../domain/plan.ts';
import { d, user } from '../../test/helpers/facts.ts';
import { jsonEqual, planStaleness } from './plan-staleness.ts';

function item(n: number, over: Partial<PlanItem> = {}): PlanItem {
  const userId = doceboUserId(10000 + n);
  return {
    key: `c${n}:${userId}`,
    userId,
    username: `user${n}`,
    contact: { id: contactId(`003${n}`), name: `Person ${n}`, email: `person${n}@example.com` },
    account: { id: accountId('001A'), name: 'ACME' },
    before: { active: true, expirationDate: null },
    after: { active: false, expirationDate: d('2025-02-28') },
    reasons: [
      {
        rule: 'contact-left',
        effectiveDate: d('2025-02-28'),
        dateFrom: 'field',
        facts: { Left_Date__c: '2025-02-28' },
      },
    ],
    ...over,
  };
}

function plan(items: PlanItem[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    id: 'p',
    createdAt: '2025-03-01T10:00:00.000Z',
    today: d('2025-03-01'),
    mode: 'expire-and-deactivate',
    basis: { crmDigest: 'a', lmsDigest: 'b' },
    summary: {
      changes: items.length,
      deactivations: 0,
      expirationsSet: 0,
      accounts: 1,
      managedContacts: 0,
      linked: 0,
      unmatched: 0,
      ambiguous: 0,
    },
    items,
    unmatched: [],
    ambiguous: [],
  };
}

const users = [user(1), user(2), user(3)];

describe('planStaleness', () => {
  it('finds nothing moved when every stored item is in the fresh plan unchanged (order and extra keys aside)', () => {
    const fresh = plan([item(2), { ...item(1), drift: undefined }]);
    expect(planStaleness(plan([item(1), item(2)]), fresh, users)).toEqual({ moved: [], added: [] });
  });

  it('names new changes as added, never as moved', () => {
    const r = planStaleness(plan([item(1)]), plan([item(1), item(3)]), users);
    expect(r.moved).toEqual([]);
    expect(r.added.map((i) => i.username)).toEqual(['user3']);
  });

  it.each([
    {
      what: 'Salesforce facts and thereby the desired state',
      fresh: item(1, {
        after: { active: false, expirationDate: d('2025-02-20') },
        reasons: [
          {
            rule: 'contact-left',
            effectiveDate: d('2025-02-20'),
            dateFrom: 'field',
            facts: { Left_Date__c: '2025-02-20' },
          },
        ],
      }),
      causes: ['desired-state', 'salesforce-facts'],
      fields: ['after', 'reasons'],
    },
    {
      what: 'Docebo state',
      fresh: item(1, { before: { active: true, expirationDate: d('2026-01-01') } }),
      causes: ['docebo-state'],
      fields: ['before'],
    },
    {
      what: 'only the desired state (the date was reached)',
      fresh: item(1, { after: { active: true, expirationDate: d('2025-02-28') } }),
      causes: ['desired-state'],
      fields: ['after'],
    },
    {
      what: 'a field added later (action)',
      fresh: item(1, { action: 'restore' }),
      causes: ['desired-state'],
      fields: ['action'],
    },
    {
      what: 'the contact',
      fresh: item(1, { contact: { id: contactId('0031'), name: 'Person 1', email: 'new@example.com' } }),
      causes: ['salesforce-facts'],
      fields: ['contact'],
    },
  ])('reports a change of $what', ({ fresh, causes, fields }) => {
    const r = planStaleness(plan([item(1), item(2)]), plan([fresh, item(2)]), users);
    expect(r.moved).toHaveLength(1);
    expect(r.moved[0]).toMatchObject({ username: 'user1', causes, fields, current: fresh });
    expect(r.moved[0]?.details).toHaveLength(fields.length);
  });

  it('explains an item the fresh plan no longer has', () => {
    const stored = plan([item(1), item(2), item(3), item(4)]);
    const moved = (n: number) => r.moved.find((m) => m.username === `user${n}`);
    // user1: changed in Docebo by hand; user2: Salesforce no longer asks; user3: relinked; user4: gone.
    const now = [user(1, { active: false }), user(2), user(3)];
    const relinked = {
      ...item(3),
      key: 'c9:10003',
      contact: { id: contactId('0039'), name: 'X', email: null },
    };
    const r = planStaleness(stored, plan([relinked]), now);
    expect(r.moved.map((m) => m.username)).toEqual(['user1', 'user2', 'user3', 'user4']);
    expect(moved(1)).toMatchObject({ causes: ['docebo-state'], current: null });
    expect(moved(2)).toMatchObject({ causes: ['salesforce-facts'], current: null });
    expect(moved(3)?.details[0]).toContain('another Salesforce contact');
    expect(moved(4)?.details[0]).toContain('no longer exists');
    expect(r.added).toEqual([relinked]);
  });
});

describe('jsonEqual', () => {
  it.each([
    [{ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: null }, { a: undefined }, false],
    [[1, 2], [2, 1], false],
    [{ a: [] }, { a: {} }, false],
    ['1', 1, false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
  });
});

describe('planStaleness details', () => {
  it('names the Salesforce values that changed, and rules that started or stopped holding', () => {
    const reason = (rule: string, date: string, facts: Record<string, string | null>) => ({
      rule,
      effectiveDate: d(date),
      dateFrom: 'field' as const,
      facts,
    });
    const stored = item(1, {
      reasons: [
        reason('contact-left', '2025-02-28', { Left_Date__c: '2025-02-28' }),
        reason('account-retired', '2025-03-01', { 'Account.Status__c': 'Inactive' }),
      ],
    });
    const fresh = item(1, {
      reasons: [
        reason('contact-left', '2025-02-20', { Left_Date__c: '2025-02-20' }),
        reason('blocked', '2025-02-20', { Blocked__c: 'true' }),
      ],
    });
    const [moved] = planStaleness(plan([stored]), plan([fresh]), users).moved;
    expect(moved?.details).toEqual([
      'Salesforce facts changed: contact-left: Left_Date__c 2025-02-28 → 2025-02-20; account-retired no longer holds; blocked now holds',
    ]);
  });
});
