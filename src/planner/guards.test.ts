import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../domain/dates.ts';
import { accountId, contactId, doceboUserId } from '../domain/ids.ts';
import { PLAN_FORMAT_VERSION, type Plan, type PlanItem } from '../domain/plan.ts';
import { applyGuards, isRetirement, overallLimit, type GuardLimits, type PastDecision } from './guards.ts';

const LIMITS: GuardLimits = {
  maxRetirementsPerRun: 30,
  maxRetirementsPercent: 100,
  maxPerAccount: 10,
  minSourceShare: 80,
};
const DAY = '2026-03-01' as IsoDate;
const RETIRED = { active: false, expirationDate: DAY };
const ACTIVE = { active: true, expirationDate: null };

let seq = 0;
function item(account: string | null, opts: { restore?: boolean; after?: typeof RETIRED } = {}): PlanItem {
  seq += 1;
  const c = contactId(`003${String(seq).padStart(12, '0')}AAA`);
  return {
    key: `${c}:${seq}`,
    userId: doceboUserId(String(seq)),
    username: `u${seq}@example.com`,
    contact: { id: c, name: `Person ${seq}`, email: null },
    account: account ? { id: accountId(account), name: `Company ${account}` } : null,
    before: opts.restore ? RETIRED : ACTIVE,
    after: opts.restore ? ACTIVE : (opts.after ?? RETIRED),
    reasons: [],
  };
}
const many = (n: number, account: string | null) => Array.from({ length: n }, () => item(account));

function plan(items: PlanItem[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    id: 'plan-1',
    createdAt: '2026-03-01T00:00:00.000Z',
    today: DAY,
    mode: 'expire-and-deactivate',
    basis: { crmDigest: 'c', lmsDigest: 'l' },
    summary: {
      changes: items.length,
      deactivations: 0,
      expirationsSet: 0,
      accounts: 0,
      managedContacts: 1000,
      linked: 1000,
      unmatched: 0,
      ambiguous: 0,
    },
    items,
    unmatched: [],
    ambiguous: [],
  };
}

const run = (items: PlanItem[], over: Partial<Parameters<typeof applyGuards>[1]> = {}) =>
  applyGuards(plan(items), {
    limits: LIMITS,
    managedContacts: 1000,
    lastManagedContacts: 1000,
    managedUsers: 1000,
    decisions: [],
    ...over,
  });

const countBy = (keys: (string | null)[]) =>
  keys.reduce<Record<string, number>>((m, k) => ({ ...m, [k ?? 'none']: (m[k ?? 'none'] ?? 0) + 1 }), {});

describe('applyGuards', () => {
  it.each<[string, () => PlanItem[], Record<string, number>, Record<string, number>]>([
    ['under every limit: all go ahead', () => [...many(5, 'A'), ...many(3, 'B')], { A: 5, B: 3 }, {}],
    [
      'a cascade over maxPerAccount is held whole',
      () => [...many(11, 'A'), ...many(2, 'B')],
      { B: 2 },
      { A: 11 },
    ],
    ['exactly maxPerAccount goes ahead', () => many(10, 'A'), { A: 10 }, {}],
    [
      'over maxRetirementsPerRun: the biggest companies wait, small ones and leavers go',
      () => [
        ...many(10, 'A'),
        ...many(10, 'B'),
        ...many(10, 'C'),
        ...many(5, 'D'),
        ...many(10, 'E'),
        item(null),
      ],
      { C: 10, D: 5, E: 10, none: 1 },
      { A: 10, B: 10 },
    ],
    [
      'restores are never held nor counted',
      () => [...many(12, 'A').map((i) => ({ ...i, before: RETIRED, after: ACTIVE })), ...many(2, 'B')],
      { A: 12, B: 2 },
      {},
    ],
  ])('%s', (_name, items, allowed, held) => {
    const out = run(items());
    expect(countBy(out.plan.items.map((i) => i.account?.id ?? null))).toEqual(allowed);
    expect(countBy(out.held.map((h) => h.accountId))).toEqual(held);
    expect(out.blocked).toBeNull();
    expect(out.plan.summary.changes).toBe(out.plan.items.length);
  });

  it('names the guard and the reason', () => {
    const out = run(many(12, 'A'));
    expect(out.held[0]).toMatchObject({
      guard: 'maxPerAccount',
      reason: '12 retirements exceed maxPerAccount 10',
      accountName: 'Company A',
      planId: 'plan-1',
    });
  });

  it.each<[string, number, number, number, 'maxRetirementsPerRun' | 'maxRetirementsPercent']>([
    ['count is smaller', 30, 100, 30, 'maxRetirementsPerRun'],
    ['share is smaller', 30, 1, 10, 'maxRetirementsPercent'],
    ['share never below one', 30, 0.01, 1, 'maxRetirementsPercent'],
  ])('overall limit: %s', (_n, count, percent, limit, guard) => {
    expect(
      overallLimit({ ...LIMITS, maxRetirementsPerRun: count, maxRetirementsPercent: percent }, 1000),
    ).toEqual({
      limit,
      guard,
    });
  });

  it.each<[string, number | null, number | null, boolean]>([
    ['first run (no baseline)', 0, null, false],
    ['event path (partial read)', null, 1000, false],
    ['80% of last time', 800, 1000, false],
    ['79% of last time', 790, 1000, true],
    ['empty source', 0, 1000, true],
  ])('source guard: %s', (_n, managed, last, blocked) => {
    const restore = item('A', { restore: true });
    const out = run([...many(2, 'A'), restore], { managedContacts: managed, lastManagedContacts: last });
    expect(out.blocked !== null).toBe(blocked);
    expect(out.plan.items.length).toBe(blocked ? 1 : 3);
    expect(out.held).toEqual([]);
    if (blocked) expect(out.blocked?.reason).toContain('minSourceShare 80%');
  });

  describe('decisions', () => {
    const approve = (
      items: PlanItem[],
      status: 'held' | 'approved' | 'rejected' = 'approved',
    ): PastDecision[] =>
      items.map((i, n) => ({
        id: n + 1,
        itemKey: i.key,
        accountId: i.account?.id ?? null,
        after: i.after,
        status,
        guard: 'maxPerAccount',
        reason: '12 retirements exceed maxPerAccount 10',
      }));

    it('a held company stays held in a later, smaller run until someone decides', () => {
      const big = many(12, 'A');
      const later = [...big.slice(0, 3), item('A')];
      const out = run(later, { decisions: approve(big, 'held') });
      expect(out.held).toHaveLength(4);
      expect(out.held[0]).toMatchObject({
        guard: 'maxPerAccount',
        reason: '12 retirements exceed maxPerAccount 10',
      });
      expect(out.plan.items).toEqual([]);
      // Held with other facts (another date): judged afresh.
      const moved = later.map((i) => ({ ...i, after: { active: false, expirationDate: null } }));
      expect(run(moved, { decisions: approve(big, 'held') }).held).toEqual([]);
    });

    it('an approved company goes ahead past the limits, and its approvals are reported used', () => {
      const big = many(12, 'A');
      const out = run(big, { decisions: approve(big) });
      expect(out.plan.items).toHaveLength(12);
      expect(out.held).toEqual([]);
      expect(out.approvedUsed).toHaveLength(12);
    });

    it('a company whose items changed is held again', () => {
      const big = many(12, 'A');
      const decisions = approve(big);
      const moved = big.map((i, n) =>
        n === 0 ? { ...i, after: { active: false, expirationDate: '2026-04-01' as IsoDate } } : i,
      );
      const out = run(moved, { decisions });
      expect(out.held).toHaveLength(12);
      expect(out.approvedUsed).toEqual([]);
    });

    it('a newcomer to an approved company makes the approval not apply', () => {
      const big = many(12, 'A');
      const out = run([...big, item('A')], { decisions: approve(big) });
      expect(out.held).toHaveLength(13);
    });

    it('rejected changes are neither applied nor held again, unless their facts changed', () => {
      const big = many(12, 'A');
      const out = run(big, { decisions: approve(big, 'rejected') });
      expect(out.plan.items).toEqual([]);
      expect(out.held).toEqual([]);
      expect(out.rejected).toHaveLength(12);
      const moved = big.map((i) => ({ ...i, after: { active: false, expirationDate: null } }));
      expect(run(moved, { decisions: approve(big, 'rejected') }).held).toHaveLength(12);
    });
  });

  it('isRetirement: deactivating or setting a date, not restoring', () => {
    expect(isRetirement(item('A'))).toBe(true);
    expect(isRetirement(item('A', { restore: true }))).toBe(false);
    expect(isRetirement({ ...item('A'), after: { active: true, expirationDate: DAY } })).toBe(true);
  });
});
