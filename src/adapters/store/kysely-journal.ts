// The journal over Kysely. Every write appends its audit records in the same transaction, under the
// audit lock (kysely-audit-log.ts), so the hash chain covers each row as written and as settled.
import type { Kysely } from 'kysely';
import { journalAuditRecord, settleAuditRecord, type NewAuditRecord } from '../../domain/audit.ts';
import { RosterError } from '../../domain/errors.ts';
import type { JournalEntry, JournalSettlement, NewJournalEntry } from '../../domain/journal.ts';
import type { OwnershipRecord } from '../../domain/ownership.ts';
import type { Journal, JournalQuery } from '../../ports/store.ts';
import { appendAuditIn, auditTransaction } from './kysely-audit-log.ts';
import { listOwnership } from './kysely-ownership.ts';
import { journalToRow, rowToJournal } from './row-mapping.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, ROWS_PER_INSERT } from './store-transactions.ts';

export class KyselyJournal implements Journal {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly dialect: StoreDialect,
    private readonly now: () => Date,
  ) {}

  /** Inserts journal entries and one 'journal' audit record per entry, atomically. */
  append(entries: NewJournalEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return auditTransaction(this.db, this.dialect, async (trx) => {
      const written: JournalEntry[] = [];
      for (const part of chunk(entries, ROWS_PER_INSERT)) {
        const rows = await trx.insertInto('journal').values(part.map(journalToRow)).returningAll().execute();
        // Ids come from one sequence in insertion order; sorting does not depend on RETURNING's order.
        const sorted = [...rows].sort((a, b) => Number(a.id) - Number(b.id));
        sorted.forEach((row, i) => {
          if (row.item_key !== part[i]?.itemKey || row.run_id !== part[i]?.runId)
            throw new RosterError('ROSTER_INTERNAL', 'Journal ids did not come back in insertion order.');
          written.push(rowToJournal(row));
        });
      }
      await appendAuditIn(trx, written.map(journalAuditRecord), this.now().toISOString());
    });
  }

  /** Settles pending entries and appends one 'settle' record per settlement that settled a row. */
  settle(settlements: JournalSettlement[]): Promise<void> {
    if (settlements.length === 0) return Promise.resolve();
    return auditTransaction(this.db, this.dialect, async (trx) => {
      const records: NewAuditRecord[] = [];
      for (const s of settlements) {
        const rows = await trx
          .updateTable('journal')
          .set({ outcome: s.outcome, error: s.error === null ? null : JSON.stringify(s.error), at: s.at })
          .where('run_id', '=', s.runId)
          .where('item_key', '=', s.itemKey)
          .where('outcome', '=', 'pending')
          .returning('id')
          .execute();
        // A settlement that found nothing pending changed nothing, so there is nothing to record.
        if (rows.length > 0)
          records.push(
            settleAuditRecord(
              s,
              rows.map((r) => Number(r.id)).sort((a, b) => a - b),
            ),
          );
      }
      await appendAuditIn(trx, records, this.now().toISOString());
    });
  }

  async listUnsettled(): Promise<JournalEntry[]> {
    const rows = await this.db
      .selectFrom('journal')
      .selectAll()
      .where('outcome', '=', 'pending')
      .where('run_id', 'not in', this.db.selectFrom('runs').select('id').where('status', '=', 'running'))
      .orderBy('id', 'asc')
      .execute();
    return rows.map(rowToJournal);
  }

  async list(query: JournalQuery): Promise<JournalEntry[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    let q = this.db.selectFrom('journal').selectAll();
    if (query.runId !== undefined) q = q.where('run_id', '=', query.runId);
    if (query.userId !== undefined) q = q.where('user_id', '=', query.userId);
    if (query.contactId !== undefined) q = q.where('contact_id', '=', query.contactId);
    if (query.accountId !== undefined) q = q.where('account_id', '=', query.accountId);
    q = q.orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(Math.floor(query.limit));
    return (await q.execute()).map(rowToJournal);
  }

  ownership(): Promise<OwnershipRecord[]> {
    return listOwnership(this.db);
  }
}
