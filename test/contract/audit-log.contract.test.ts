// The AuditLog contract, on a real SQLite file and a real PostgreSQL database: the chain grows with
// every journal write in the same transaction, verifies on a clean store, and reports direct SQL
// tampering (an edited or deleted journal row, an edited, deleted or cut-off audit record) by seq and id.
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrator } from '../../src/adapters/store/migrations.ts';
import { GENESIS_HASH, auditHash } from '../../src/domain/audit.ts';
import { RosterError } from '../../src/domain/errors.ts';
import type { NewJournalEntry } from '../../src/domain/journal.ts';
import type { Store } from '../../src/ports/store.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';
import { cid, journalEntry } from '../helpers/store-fixtures.ts';

/** Pending, as the executor journals an entry before Docebo sees it; the username is what tampering edits. */
const entry = (n: number, over: Partial<NewJournalEntry> = {}): NewJournalEntry =>
  journalEntry(n, {
    username: `user${n}@acme.example`,
    outcome: 'pending',
    ...over,
  });

describeEachStore('AuditLog', (target) => {
  let store: Store;
  const fresh = async () => {
    store = await target.open();
  };

  /** Two pending entries, the first applied and the second failed: 4 records. */
  const applyTwo = async () => {
    await store.journal.append([entry(1), entry(2)]);
    await store.journal.settle([
      {
        runId: 'run-1',
        itemKey: entry(1).itemKey,
        outcome: 'applied',
        error: null,
        at: '2025-03-01T11:00:00.000Z',
      },
      {
        runId: 'run-1',
        itemKey: entry(2).itemKey,
        outcome: 'failed',
        error: { code: 'ROSTER_DOCEBO_REJECTED', message: 'no', retryable: false },
        at: '2025-03-01T11:00:01.000Z',
      },
    ]);
    const journal = (await store.journal.list({})).sort((a, b) => a.id - b.id);
    return { ids: journal.map((e) => e.id), journal };
  };

  it('verifies an empty store', async () => {
    await fresh();
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 0, firstBroken: null });
  });

  it('appends one journal record per entry and one settle record per settlement, chained', async () => {
    await fresh();
    const { ids, journal } = await applyTwo();
    const records = await store.audit.list({});
    expect(records.map((r) => [r.seq, r.kind, r.ref])).toEqual([
      [1, 'journal', `journal:${ids[0]}`],
      [2, 'journal', `journal:${ids[1]}`],
      [3, 'settle', `journal:${ids[0]}`],
      [4, 'settle', `journal:${ids[1]}`],
    ]);
    expect(records[0]?.payload).toMatchObject({
      id: ids[0],
      outcome: 'pending',
      username: 'user1@acme.example',
    });
    expect(records[3]?.payload).toMatchObject({
      runId: 'run-1',
      itemKey: entry(2).itemKey,
      outcome: 'failed',
      error: { code: 'ROSTER_DOCEBO_REJECTED' },
      at: '2025-03-01T11:00:01.000Z',
      journalIds: [ids[1]],
    });
    let prev = GENESIS_HASH;
    for (const r of records) {
      expect(r.prevHash).toBe(prev);
      expect(r.hash).toBe(auditHash(prev, r));
      prev = r.hash;
    }
    expect(journal.map((e) => e.outcome)).toEqual(['applied', 'failed']);
    expect(await store.audit.verify()).toMatchObject({
      ok: true,
      checked: 4,
      journalRows: 2,
      firstBroken: null,
    });
  });

  it('records nothing for a settlement that found nothing pending, and keeps verifying', async () => {
    await fresh();
    await applyTwo();
    await store.journal.settle([
      {
        runId: 'run-1',
        itemKey: entry(1).itemKey,
        outcome: 'failed',
        error: null,
        at: '2025-03-02T00:00:00.000Z',
      },
    ]);
    expect(await store.audit.list({})).toHaveLength(4);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it('appends journal rows and their records together or not at all', async () => {
    await fresh();
    await store.journal.append([entry(0)]);
    const batch = Array.from({ length: 700 }, (_, i) => entry(i + 1));
    batch[650] = entry(651, { outcome: 'bogus' as 'applied' });
    await expect(store.journal.append(batch)).rejects.toBeInstanceOf(RosterError);
    expect(await store.journal.list({})).toHaveLength(1);
    expect(await store.audit.list({})).toHaveLength(1);
    await store.journal.append(batch.slice(0, 600));
    expect(await store.audit.list({})).toHaveLength(601);
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 601, journalRows: 601 });
  });

  it('records other features’ events in the chain and lists them by time, kind and limit', async () => {
    await fresh();
    await store.journal.append([entry(1)]);
    await store.audit.append([
      { kind: 'approval', ref: 'plan:p1', payload: { by: 'alice', accountId: '001000000000001AAA' } },
      { kind: 'drift', ref: 'user:u1', payload: { userId: 'u1', seen: { active: true } } },
    ]);
    await store.audit.append([]);
    const all = await store.audit.list({});
    expect(all.map((r) => r.kind)).toEqual(['journal', 'approval', 'drift']);
    expect(all[1]?.payload).toEqual({ accountId: '001000000000001AAA', by: 'alice' });
    expect((await store.audit.list({ kinds: ['drift', 'approval'] })).map((r) => r.seq)).toEqual([2, 3]);
    expect(await store.audit.list({ limit: 1 })).toHaveLength(1);
    expect(await store.audit.list({ limit: 0 })).toEqual([]);
    const at = all[0]!.at;
    expect(await store.audit.list({ since: at })).toHaveLength(3);
    expect(await store.audit.list({ until: at })).toHaveLength(0);
    expect(await store.audit.list({ since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it('keeps one chain when two writers append at once', async () => {
    await fresh();
    const other = target.concurrentInstances ? await target.open() : store;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? store : other).journal.append([entry(i * 2 + 1), entry(i * 2 + 2)]),
      ),
    );
    const records = await store.audit.list({});
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 24 });
  });

  describe('tampering', () => {
    it('reports an edited journal column with the journal id and the record that describes it', async () => {
      await fresh();
      const { ids } = await applyTwo();
      await target.exec(
        `UPDATE journal SET after = '{"active":true,"expirationDate":null}' WHERE id = ${ids[0]}`,
      );
      const v = await store.audit.verify();
      expect(v.ok).toBe(false);
      // Row 1 was last described by its settle record, seq 3.
      expect(v.firstBroken).toMatchObject({ seq: 3, journalId: ids[0] });
      expect(v.firstBroken?.reason).toContain('after');
    });

    it('reports a flipped outcome', async () => {
      await fresh();
      const { ids } = await applyTwo();
      await target.exec(`UPDATE journal SET outcome = 'applied', error = NULL WHERE id = ${ids[1]}`);
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 4, journalId: ids[1] });
      expect(v.firstBroken?.reason).toMatch(/outcome: audit "failed", row "applied"/);
    });

    it('reports a journal column filled with something that is not JSON', async () => {
      await fresh();
      const { ids } = await applyTwo();
      await target.exec(`UPDATE journal SET reasons = 'none' WHERE id = ${ids[1]}`);
      expect((await store.audit.verify()).firstBroken).toMatchObject({ seq: 4, journalId: ids[1] });
    });

    it('reports a deleted journal row', async () => {
      await fresh();
      const { ids } = await applyTwo();
      await target.exec(`DELETE FROM journal WHERE id = ${ids[1]}`);
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 4, journalId: ids[1] });
      expect(v.firstBroken?.reason).toContain('deleted');
    });

    it('reports a journal row written behind Roster’s back', async () => {
      await fresh();
      await applyTwo();
      await target.exec(
        `INSERT INTO journal (run_id, plan_id, item_key, at, user_id, username, contact_id, account_id, before, after, reasons, outcome, error)
         VALUES ('run-x', 'plan-x', 'k', '2025-03-01T00:00:00.000Z', 'u9', 'u9', 'c9', NULL, '{}', '{}', '[]', 'applied', NULL)`,
      );
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 0 });
      expect(v.firstBroken?.reason).toContain('no audit record');
    });

    it('reports an edited audit record', async () => {
      await fresh();
      await applyTwo();
      await target.exec(
        `UPDATE audit_log SET payload = replace(payload, 'user2@', 'someone@') WHERE seq = 2`,
      );
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 2, journalId: null });
      expect(v.firstBroken?.reason).toContain('edited');
    });

    it('reports a re-hashed audit record by the broken link after it', async () => {
      await fresh();
      await applyTwo();
      const [r2] = await store.audit.list({ kinds: ['journal'] }).then((rs) => rs.slice(1));
      const payload = { ...(r2!.payload as Record<string, unknown>), username: 'someone@acme.example' };
      const forged = auditHash(r2!.prevHash, { ...r2!, payload });
      await target.exec(
        `UPDATE audit_log SET payload = '${JSON.stringify(payload)}', hash = '${forged}' WHERE seq = 2`,
      );
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 3, journalId: null });
      expect(v.firstBroken?.reason).toContain('prev_hash');
    });

    it('reports a deleted audit record in the middle', async () => {
      await fresh();
      await applyTwo();
      await target.exec(`DELETE FROM audit_log WHERE seq = 2`);
      const v = await store.audit.verify();
      expect(v.firstBroken).toMatchObject({ seq: 3 });
      expect(v.firstBroken?.reason).toContain('missing');
    });

    it('reports audit records cut off the end', async () => {
      await fresh();
      await applyTwo();
      await store.audit.append([{ kind: 'approval', ref: 'plan:p1', payload: { by: 'alice' } }]);
      await target.exec(`DELETE FROM audit_log WHERE seq = 5`);
      const cut = await store.audit.verify();
      expect(cut.firstBroken).toMatchObject({ seq: 5 });
      expect(cut.firstBroken?.reason).toContain('missing');
    });
  });

  it('records the journal an upgraded store already had, so it verifies from the upgrade on', async () => {
    const raw = await target.raw();
    try {
      const { error } = await migrator(raw, target.dialect).migrateTo('0002-work-queue');
      if (error) throw error;
      await (raw as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('journal')
        .values({
          run_id: 'old-run',
          plan_id: 'old-plan',
          item_key: 'k1',
          at: '2024-12-01T00:00:00.000Z',
          user_id: 'u1',
          username: 'old@acme.example',
          contact_id: cid(1),
          account_id: null,
          before: '{"active":true,"expirationDate":null}',
          after: '{"active":false,"expirationDate":"2024-11-30"}',
          reasons: '[]',
          outcome: 'applied',
          error: null,
        })
        .execute();
    } finally {
      await raw.destroy();
    }
    await fresh();
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 1, journalRows: 1 });
    await store.journal.append([entry(2)]);
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 2 });
    await target.exec(`UPDATE journal SET username = 'x' WHERE item_key = 'k1'`);
    expect((await store.audit.verify()).firstBroken).toMatchObject({ seq: 1 });
  });
});
