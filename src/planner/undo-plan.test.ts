import { describe, expect, it } from 'vitest';
import { account, contact, d, user } from '../../test/helpers/facts.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { AccessState } from '../domain/lms.ts';
import { foldOwnership } from './ownership.ts';
import { buildUndoPlan, type UndoInput, type UndoScope } from './undo-plan.ts';

const RETIRED = d('2026-10-31');
const active: AccessState = { active: true, expirationDate: null };
const retired: AccessState = { active: false, expirationDate: RETIRED };
const acme = account(1, 'ACME');

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
    accountId: acme.id,
    before: active,
    after: retired,
    reasons: [{ rule: 'account-retired', effectiveDate: RETIRED, dateFrom: 'field', facts: {} }],
    action: 'retire',
    outcome: 'applied',
    error: null,
    ...over,
  };
}

function undoOf(scope: UndoScope, entries: JournalEntry[], docebo: [number, AccessState][], all = entries) {
  const input: UndoInput = {
    id: 'plan-undo',
    createdAt: '2026-11-24T10:00:00.000Z',
    today: d('2026-11-24'),
    mode: 'expire-and-deactivate',
    scope,
    entries,
    ownership: foldOwnership(all),
    users: docebo.map(([n, s]) => user(n, { active: s.active, expirationDate: s.expirationDate })),
    refs: new Map([
      [
        entry(1).itemKey,
        {
          contact: { id: contact(1).id, name: 'Charlie Brown', email: null },
          account: { id: acme.id, name: 'ACME' },
        },
      ],
    ]),
  };
  return buildUndoPlan(input);
}

describe('buildUndoPlan', () => {
  it("restores a run's users to their state before it, and skips anyone changed since", () => {
    const run = [entry(1), entry(2), entry(3), entry(4, { outcome: 'failed' })];
    const { plan, skipped } = undoOf({ runId: 'run-1' }, run, [
      [1, retired],
      [2, { active: true, expirationDate: RETIRED }],
      [4, active],
    ]);
    expect(plan.items.map((i) => [i.username, i.action, i.before, i.after])).toEqual([
      ['user1', 'undo', retired, active],
    ]);
    expect(plan.items[0]).toMatchObject({ contact: { name: 'Charlie Brown' }, account: { name: 'ACME' } });
    expect(plan.items[0]!.reasons[0]).toMatchObject({
      rule: 'undo',
      facts: { undoes: 'run run-1', 'Roster change': 'retire', 'Roster rules': 'account-retired' },
    });
    expect(skipped.map((s) => [s.username, s.reason.split(' (')[0]])).toEqual([
      ['user2', 'Docebo no longer holds what Roster set'],
      ['user3', 'no longer in Docebo'],
    ]);
  });

  it('skips a user a later Roster run changed, naming that run', () => {
    const first = entry(1);
    const later = entry(1, { runId: 'run-2', action: 'restore', before: retired, after: active });
    const { plan, skipped } = undoOf({ runId: 'run-1' }, [first], [[1, active]], [first, later]);
    expect(plan.items).toEqual([]);
    expect(skipped[0]?.reason).toContain('changed since by Roster (restore in run run-2)');
  });

  it("an account's undo puts back the earliest state in scope; a user's undo only the latest change", () => {
    const expiring = { active: true, expirationDate: RETIRED };
    const chain = [
      entry(1, { after: expiring }),
      entry(1, { runId: 'run-2', before: expiring, after: retired }),
    ];
    const byAccount = undoOf({ accountId: acme.id }, chain, [[1, retired]]);
    expect(byAccount.plan.items.map((i) => i.after)).toEqual([active]);
    const byUser = undoOf({ userId: user(1).id }, chain, [[1, retired]]);
    expect(byUser.plan.items.map((i) => i.after)).toEqual([expiring]);
  });

  it('an empty scope gives an empty plan', () => {
    const { plan, skipped } = undoOf({ runId: 'nope' }, [], []);
    expect(plan.items).toEqual([]);
    expect(skipped).toEqual([]);
    expect(plan.summary.changes).toBe(0);
  });
});
