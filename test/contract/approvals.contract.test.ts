// The ApprovalStore contract (held changes, decisions, the source-guard baseline) and the `observed`
// journal outcome, on a real SQLite file and a real PostgreSQL database.
import { expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.ts';
import type { NewHeldChange } from '../../src/domain/held-change.ts';
import { accountId, doceboUserId } from '../../src/domain/ids.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';
import { cid } from '../helpers/store-fixtures.ts';

const AT = '2026-03-01T10:00:00.000Z';
const RETIRED = { active: false, expirationDate: '2026-03-01' as IsoDate };

function held(n: number, account: string | null, over: Partial<NewHeldChange> = {}): NewHeldChange {
  const c = cid(n);
  return {
    planId: 'plan-1',
    itemKey: `${c}:u${n}`,
    accountId: account === null ? null : accountId(account),
    accountName: account === null ? null : `Company ${account}`,
    contactId: c,
    userId: doceboUserId(`u${n}`),
    username: `u${n}@example.com`,
    guard: 'maxPerAccount',
    reason: '3 retirements exceed maxPerAccount 2',
    after: RETIRED,
    ...over,
  };
}

describeEachStore('ApprovalStore', (target) => {
  it('records held changes once per item and reports only the new ones', async () => {
    const s = await target.open();
    const first = await s.approvals.recordHeld([held(1, 'A'), held(2, 'A'), held(3, null)], {
      at: AT,
      replaceWaiting: false,
    });
    expect(first.map((h) => [h.itemKey, h.status, h.accountName])).toEqual([
      [held(1, 'A').itemKey, 'held', 'Company A'],
      [held(2, 'A').itemKey, 'held', 'Company A'],
      [held(3, null).itemKey, 'held', null],
    ]);
    expect(first[0]).toMatchObject({ after: RETIRED, decidedBy: null, createdAt: AT, planId: 'plan-1' });
    // Held again with the same facts: not new. With another `after`: replaced, and new.
    const moved = { active: false, expirationDate: '2026-04-01' as IsoDate };
    const again = await s.approvals.recordHeld(
      [held(1, 'A', { planId: 'plan-2' }), held(2, 'A', { after: moved })],
      {
        at: AT,
        replaceWaiting: false,
      },
    );
    expect(again.map((h) => h.itemKey)).toEqual([held(2, 'A').itemKey]);
    expect((await s.approvals.listHeld({ status: 'held' })).length).toBe(3);
    // A full plan that no longer holds item 3 drops it.
    await s.approvals.recordHeld([held(1, 'A'), held(2, 'A', { after: moved })], {
      at: AT,
      replaceWaiting: true,
    });
    expect((await s.approvals.listHeld({})).map((h) => h.itemKey).sort()).toEqual(
      [held(1, 'A').itemKey, held(2, 'A').itemKey].sort(),
    );
  });

  it('decides per account or per plan, records who and when, and audits the decision', async () => {
    const s = await target.open();
    await s.approvals.recordHeld([held(1, 'A'), held(2, 'A'), held(3, 'B', { planId: 'plan-2' })], {
      at: AT,
      replaceWaiting: false,
    });
    const approved = await s.approvals.decide(
      { accountId: 'A' },
      { decision: 'approved', by: 'lucy', at: '2026-03-02T08:00:00.000Z' },
    );
    expect(approved.map((h) => [h.status, h.decidedBy, h.decidedAt])).toEqual([
      ['approved', 'lucy', '2026-03-02T08:00:00.000Z'],
      ['approved', 'lucy', '2026-03-02T08:00:00.000Z'],
    ]);
    // Only waiting changes are decided: a second approval finds nothing.
    expect(await s.approvals.decide({ accountId: 'A' }, { decision: 'rejected', by: 'x', at: AT })).toEqual(
      [],
    );
    const rejected = await s.approvals.decide(
      { planId: 'plan-2' },
      { decision: 'rejected', by: 'linus', at: AT },
    );
    expect(rejected.map((h) => h.itemKey)).toEqual([held(3, 'B').itemKey]);
    expect((await s.approvals.listHeld({ status: 'held' })).length).toBe(0);
    expect((await s.approvals.listHeld({ accountId: 'A' })).length).toBe(2);

    await s.approvals.recordHeld([held(4, 'C')], { at: AT, replaceWaiting: false });
    const decisions = await s.approvals.decisionsFor([
      held(1, 'A').itemKey,
      held(3, 'B').itemKey,
      held(4, 'C').itemKey,
      'x',
    ]);
    expect(decisions.map((d) => d.status)).toEqual(['approved', 'rejected', 'held']);
    decisions.pop();
    expect(decisions.map((d) => d.status)).toEqual(['approved', 'rejected']);
    expect(decisions[0]?.itemKey).toBe(held(1, 'A').itemKey);
    await s.approvals.markApplied([decisions[0]!.id, decisions[1]!.id]);
    expect((await s.approvals.decisionsFor([held(1, 'A').itemKey])).length).toBe(0);
    expect((await s.approvals.listHeld({ status: 'applied' })).map((h) => h.itemKey)).toEqual([
      held(1, 'A').itemKey,
    ]);

    const audit = await s.audit.list({ kinds: ['approval', 'rejection'] });
    expect(audit.map((a) => [a.kind, a.ref])).toEqual([
      ['approval', 'account:A'],
      ['rejection', 'plan:plan-2'],
    ]);
    expect(audit[0]?.payload).toMatchObject({ by: 'lucy', decision: 'approved' });
    expect((await s.audit.verify()).ok).toBe(true);
  });

  it('remembers and forgets the last managed contact count', async () => {
    const s = await target.open();
    expect(await s.approvals.getLastManagedCount()).toBeNull();
    await s.approvals.setLastManagedCount(420);
    await s.approvals.setLastManagedCount(421);
    expect(await s.approvals.getLastManagedCount()).toBe(421);
    await s.approvals.setLastManagedCount(null);
    expect(await s.approvals.getLastManagedCount()).toBeNull();
  });

  it("accepts journal entries with the outcome 'observed'", async () => {
    const s = await target.open();
    await s.journal.append([
      {
        runId: 'run-1',
        planId: 'plan-1',
        itemKey: 'k1',
        at: AT,
        userId: doceboUserId('u1'),
        username: 'u1@example.com',
        contactId: cid(1),
        accountId: null,
        before: { active: true, expirationDate: null },
        after: RETIRED,
        reasons: [],
        action: 'retire',
        outcome: 'observed',
        error: null,
      },
    ]);
    expect((await s.journal.list({})).map((e) => e.outcome)).toEqual(['observed']);
  });
});
