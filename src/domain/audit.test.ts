import { describe, expect, it } from 'vitest';
import { AuditVerifier, differences } from './audit-verifier.ts';
import {
  GENESIS_HASH,
  auditHash,
  chainRecords,
  journalAuditRecord,
  latestRecordByJournalId,
  settleAuditRecord,
} from './audit.ts';
import { canonicalJson } from './canonical-json.ts';
import type { JournalEntry } from './journal.ts';

const entry = (id: number, over: Partial<JournalEntry> = {}): JournalEntry =>
  ({
    id,
    runId: 'r1',
    planId: 'p1',
    itemKey: `k${id}`,
    at: '2025-03-01T10:00:00.000Z',
    userId: `u${id}`,
    username: `user${id}`,
    contactId: `c${id}`,
    accountId: null,
    before: { active: true, expirationDate: null },
    after: { active: false, expirationDate: '2025-02-28' },
    reasons: [],
    action: 'retire',
    outcome: 'pending',
    error: null,
    ...over,
  }) as JournalEntry;

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    [{ x: undefined, y: 'é' }, '{"y":"é"}'],
    ['text', '"text"'],
    [null, 'null'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('the chain', () => {
  it('links each record to the one before, from the genesis hash', () => {
    const recs = chainRecords(null, [journalAuditRecord(entry(1)), journalAuditRecord(entry(2))], 'T');
    expect(recs.map((r) => r.seq)).toEqual([1, 2]);
    expect(recs[0]?.prevHash).toBe(GENESIS_HASH);
    expect(recs[1]?.prevHash).toBe(recs[0]?.hash);
    expect(recs[0]?.hash).toBe(auditHash(GENESIS_HASH, recs[0]!));
    const more = chainRecords(
      { seq: 2, hash: recs[1]!.hash },
      [{ kind: 'approval', ref: 'plan:p1', payload: {} }],
      'T',
    );
    expect(more[0]).toMatchObject({ seq: 3, prevHash: recs[1]?.hash });
  });

  it('replays settle records onto pending rows only, and verifies a matching journal', () => {
    const settle = (outcome: 'applied' | 'failed') =>
      settleAuditRecord({ runId: 'r1', itemKey: 'k1', outcome, error: null, at: 'T2' }, [1]);
    const recs = chainRecords(null, [journalAuditRecord(entry(1)), settle('applied'), settle('failed')], 'T');
    const v = new AuditVerifier();
    v.add(recs);
    const result = v.finish([entry(1, { outcome: 'applied', at: 'T2' })], { seq: 3, hash: recs[2]!.hash });
    expect(result).toMatchObject({ ok: true, checked: 3, journalRows: 1 });
    expect(latestRecordByJournalId(recs).get(1)).toEqual({ seq: 3, hash: recs[2]?.hash });
  });

  it('orders problems by seq and puts rows no record describes last', () => {
    const recs = chainRecords(null, [journalAuditRecord(entry(1)), journalAuditRecord(entry(2))], 'T');
    const v = new AuditVerifier();
    v.add(recs);
    const result = v.finish([entry(2, { username: 'x' }), entry(3)], { seq: 2, hash: recs[1]!.hash });
    expect(result.problems.map((p) => [p.seq, p.journalId])).toEqual([
      [1, 1],
      [2, 2],
      [0, 3],
    ]);
    expect(result.firstBroken?.reason).toContain('deleted');
  });
});

describe('differences', () => {
  it('names each differing field, and reads a column added later at its default', () => {
    const { action: _a, ...legacy } = entry(1);
    expect(differences(legacy as JournalEntry, entry(1))).toEqual([]);
    expect(differences(entry(1), entry(1, { outcome: 'failed', action: 'undo' }))).toEqual([
      'action: audit "retire", row "undo"',
      'outcome: audit "pending", row "failed"',
    ]);
  });
});
