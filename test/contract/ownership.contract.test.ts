// Store.listOwnership and the journal's action column, on a real SQLite file and a real PostgreSQL
// database: the latest applied Roster change per Docebo user, read with SQL over the journal.
import { expect, it } from 'vitest';
import { accountId, contactId, doceboUserId } from '../../src/domain/ids.ts';
import type { NewJournalEntry } from '../../src/domain/journal.ts';
import type { AccessState } from '../../src/domain/lms.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';
import { d } from '../helpers/facts.ts';

const active: AccessState = { active: true, expirationDate: null };
const expiring: AccessState = { active: true, expirationDate: d('2025-02-28') };
const retired: AccessState = { active: false, expirationDate: d('2025-02-28') };
const ACME = accountId('001000000000001AAA');

function entry(n: number, over: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    runId: 'run-1',
    planId: 'plan-1',
    itemKey: `c${n}:u${n}`,
    at: '2025-03-01T10:00:00.000Z',
    userId: doceboUserId(`u${n}`),
    username: `user${n}`,
    contactId: contactId(`c${n}`),
    accountId: ACME,
    before: active,
    after: retired,
    reasons: [{ rule: 'account-retired', effectiveDate: d('2025-02-28'), dateFrom: 'field', facts: {} }],
    action: 'retire',
    outcome: 'applied',
    error: null,
    ...over,
  };
}

describeEachStore('Store.listOwnership', (target) => {
  it('is empty for an empty journal', async () => {
    const s = await target.open();
    expect(await s.journal.ownership()).toEqual([]);
  });

  it('round-trips the action of journal entries, and lists by account', async () => {
    const s = await target.open();
    await s.journal.append([
      entry(1),
      entry(2, { action: 'restore', accountId: null }),
      entry(3, { action: 'undo' }),
    ]);
    const listed = await s.journal.list({});
    expect(listed.map((e) => [e.username, e.action])).toEqual([
      ['user3', 'undo'],
      ['user2', 'restore'],
      ['user1', 'retire'],
    ]);
    expect((await s.journal.list({ accountId: ACME })).map((e) => e.username)).toEqual(['user3', 'user1']);
    await expect(s.journal.append([entry(4, { action: 'bogus' as 'retire' })])).rejects.toThrow();
  });

  it('gives the latest applied change per user; pending and failed entries do not count', async () => {
    const s = await target.open();
    await s.journal.append([
      entry(1, { runId: 'a' }),
      entry(2, { runId: 'a' }),
      entry(3, { runId: 'a', outcome: 'failed' }),
    ]);
    await s.journal.append([
      entry(1, { runId: 'b', action: 'restore', before: retired, after: active }),
      entry(2, { runId: 'b', outcome: 'failed' }),
      entry(2, { runId: 'c', itemKey: 'other', outcome: 'pending' }),
    ]);
    const records = await s.journal.ownership();
    expect(records.map((r) => [r.username, r.runId, r.action, r.before, r.after])).toEqual([
      ['user2', 'a', 'retire', active, retired],
      ['user1', 'b', 'restore', retired, active],
    ]);
    expect(records[0]).toMatchObject({
      contactId: 'c2',
      accountId: ACME,
      reasons: [{ rule: 'account-retired' }],
    });
    expect(records[0]!.entryId).toBeLessThan(records[1]!.entryId);
  });

  it('reaches back through consecutive retirements to the state before the first', async () => {
    const s = await target.open();
    await s.journal.append([entry(1, { runId: 'a', after: expiring })]);
    await s.journal.append([entry(1, { runId: 'b', before: expiring, after: retired })]);
    const [record] = await s.journal.ownership();
    expect(record).toMatchObject({ runId: 'b', action: 'retire', before: active, after: retired });
  });

  it('counts an entry as soon as it is settled applied', async () => {
    const s = await target.open();
    await s.journal.append([entry(1, { outcome: 'pending' })]);
    expect(await s.journal.ownership()).toEqual([]);
    await s.journal.settle([
      { runId: 'run-1', itemKey: 'c1:u1', outcome: 'applied', error: null, at: '2025-03-01T10:00:05.000Z' },
    ]);
    expect((await s.journal.ownership()).map((r) => [r.username, r.at])).toEqual([
      ['user1', '2025-03-01T10:00:05.000Z'],
    ]);
  });
});
