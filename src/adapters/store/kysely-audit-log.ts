// The audit log over Kysely. Journal writes append to it in the same transaction (kysely-journal.ts).
// Appends are serialised across processes (PostgreSQL advisory lock, SQLite `BEGIN IMMEDIATE`): each
// record's hash covers the previous one, so two writers must never both extend the same head.
import { type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  chainRecords,
  type AuditHead,
  type AuditRecord,
  type AuditVerification,
  type NewAuditRecord,
} from '../../domain/audit.ts';
import { AuditVerifier } from '../../domain/audit-verifier.ts';
import type { JournalEntry } from '../../domain/journal.ts';
import type { AuditLog, AuditQuery } from '../../ports/audit-log.ts';
import { rowToJournal } from './row-mapping.ts';
import type { AuditLogTable, StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, lockedTransaction, ROWS_PER_INSERT } from './store-transactions.ts';

export const AUDIT_HEAD_KEY = 'audit_head';
// Any fixed number other than the queue's: the key of the PostgreSQL advisory lock for audit appends.
const AUDIT_LOCK = 0x4175_6469;
const PAGE = 2_000;

type Db = Kysely<StoreDatabase>;

/** A write transaction that holds the audit lock from its first statement. */
export function auditTransaction<T>(
  db: Db,
  dialect: StoreDialect,
  work: (trx: Db) => Promise<T>,
): Promise<T> {
  return lockedTransaction(db, dialect, AUDIT_LOCK, work);
}

export const auditToRow = (r: AuditRecord): AuditLogTable => ({
  seq: r.seq,
  at: r.at,
  kind: r.kind,
  ref: r.ref,
  payload: JSON.stringify(r.payload),
  prev_hash: r.prevHash,
  hash: r.hash,
});

export function rowToAudit(r: Selectable<AuditLogTable>): AuditRecord {
  let payload: unknown;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    // Unreadable payload: keep the text, so the hash check reports the record as edited.
    payload = r.payload;
  }
  return {
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind,
    ref: r.ref,
    payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** A journal row as verification sees it: a column someone filled with broken JSON is compared as text. */
function readableJournalRow(row: Selectable<StoreDatabase['journal']>): JournalEntry {
  try {
    return rowToJournal(row);
  } catch {
    const text = (v: string | null) => {
      if (v === null) return null;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    };
    const fixed = { ...row, before: 'null', after: 'null', reasons: 'null', error: null };
    return {
      ...rowToJournal(fixed),
      before: text(row.before),
      after: text(row.after),
      reasons: text(row.reasons),
      error: text(row.error),
    } as JournalEntry;
  }
}

async function readHead(db: Db): Promise<AuditHead | null> {
  const meta = await db
    .selectFrom('store_meta')
    .select('value')
    .where('key', '=', AUDIT_HEAD_KEY)
    .executeTakeFirst();
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fromMeta = meta ? (JSON.parse(meta.value) as AuditHead) : null;
  const fromLog = last ? { seq: Number(last.seq), hash: last.hash } : null;
  // Continue after the anchor even if records were cut off the end, so the gap stays visible.
  if (fromMeta && (!fromLog || fromMeta.seq > fromLog.seq)) return fromMeta;
  return fromLog;
}

/** Appends records to the chain; call inside auditTransaction. */
export async function appendAuditIn(db: Db, records: readonly NewAuditRecord[], at: string): Promise<void> {
  if (records.length === 0) return;
  const chained = chainRecords(await readHead(db), records, at);
  for (const part of chunk(chained.map(auditToRow), ROWS_PER_INSERT)) {
    await db.insertInto('audit_log').values(part).execute();
  }
  const last = chained[chained.length - 1] as AuditRecord;
  const value = JSON.stringify({ seq: last.seq, hash: last.hash } satisfies AuditHead);
  await db
    .insertInto('store_meta')
    .values({ key: AUDIT_HEAD_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export class KyselyAuditLog implements AuditLog {
  constructor(
    private readonly db: Db,
    private readonly dialect: StoreDialect,
    private readonly now: () => Date,
  ) {}

  append(records: NewAuditRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return auditTransaction(this.db, this.dialect, (trx) =>
      appendAuditIn(trx, records, this.now().toISOString()),
    );
  }

  list(query: AuditQuery): Promise<AuditRecord[]> {
    return (async () => {
      if (query.limit !== undefined && query.limit <= 0) return [];
      let q = this.db.selectFrom('audit_log').selectAll();
      if (query.since !== undefined) q = q.where('at', '>=', query.since);
      if (query.until !== undefined) q = q.where('at', '<', query.until);
      if (query.kinds !== undefined) {
        if (query.kinds.length === 0) return [];
        q = q.where('kind', 'in', query.kinds);
      }
      q = q.orderBy('seq', 'asc');
      if (query.limit !== undefined) q = q.limit(Math.floor(query.limit));
      return (await q.execute()).map(rowToAudit);
    })();
  }

  /** Reads the log, the journal and the anchor from one snapshot, so concurrent appends cannot look like tampering. */
  verify(): Promise<AuditVerification> {
    const read = async (trx: Transaction<StoreDatabase>) => {
      const verifier = new AuditVerifier();
      for (let after = -1; ;) {
        const rows = await trx
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq', 'asc')
          .limit(PAGE)
          .execute();
        if (rows.length === 0) break;
        verifier.add(rows.map(rowToAudit));
        after = Number(rows[rows.length - 1]?.seq);
      }
      const journal: JournalEntry[] = [];
      for (let after = 0; ;) {
        const rows = await trx
          .selectFrom('journal')
          .selectAll()
          .where('id', '>', after)
          .orderBy('id', 'asc')
          .limit(PAGE)
          .execute();
        if (rows.length === 0) break;
        journal.push(...rows.map(readableJournalRow));
        after = Number(rows[rows.length - 1]?.id);
      }
      const meta = await trx
        .selectFrom('store_meta')
        .select('value')
        .where('key', '=', AUDIT_HEAD_KEY)
        .executeTakeFirst();
      let head: AuditHead | null = null;
      if (meta) {
        try {
          head = JSON.parse(meta.value) as AuditHead;
        } catch {
          head = { seq: Number.MAX_SAFE_INTEGER, hash: meta.value };
        }
      }
      return verifier.finish(journal, head);
    };
    return this.dialect === 'postgres'
      ? this.db.transaction().setIsolationLevel('repeatable read').execute(read)
      : this.db.transaction().execute(read);
  }
}
