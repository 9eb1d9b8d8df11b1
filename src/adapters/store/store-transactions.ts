// Helpers shared by the store's modules: statement sizing, instants, and write transactions that
// serialise the work queue's coalescing across processes.
import { sql, type Kysely } from 'kysely';
import { RosterError } from '../../domain/errors.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';

// Keeps every statement well under SQLite's and PostgreSQL's bound-parameter limits.
export const ROWS_PER_INSERT = 500;

export function chunk<T>(items: readonly T[], size: number = ROWS_PER_INSERT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * An instant in the one form the store keeps (`toISOString()`): timestamps are compared as text in
 * both dialects, so `…09:00:00Z` and `…09:00:00.000Z` must not both reach a column.
 */
export function instant(value: string): string {
  const t = new Date(value);
  if (Number.isNaN(t.getTime()))
    throw new RosterError('ROSTER_INTERNAL', `Not an instant: ${JSON.stringify(value)}.`);
  return t.toISOString();
}

// Any fixed number: the key of the PostgreSQL advisory lock that serialises queue writes.
const QUEUE_LOCK = 0x526f_7374;

/**
 * A transaction that writes the queue's waiting jobs, one at a time across the whole cluster. Coalescing
 * reads before it writes (is there a waiting job for this key?), so two writers must not interleave:
 * PostgreSQL takes a transaction-scoped advisory lock; SQLite starts `BEGIN IMMEDIATE`, which takes the
 * write lock up front (a deferred transaction that reads first cannot upgrade once another process wrote).
 * Claims stay outside it: they are single statements that skip rows a writer holds.
 */
export function queueTransaction<T>(
  db: Kysely<StoreDatabase>,
  dialect: StoreDialect,
  work: (trx: Kysely<StoreDatabase>) => Promise<T>,
): Promise<T> {
  return lockedTransaction(db, dialect, QUEUE_LOCK, work);
}

/**
 * A transaction that serialises its writers: PostgreSQL takes the advisory lock `lockKey`; SQLite
 * starts with BEGIN IMMEDIATE (the database-wide write lock, taken before the first read).
 */
export async function lockedTransaction<T>(
  db: Kysely<StoreDatabase>,
  dialect: StoreDialect,
  lockKey: number,
  work: (trx: Kysely<StoreDatabase>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(lockKey)})`.execute(trx);
      return work(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await work(conn);
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
    try {
      await sql`commit`.execute(conn);
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
    return result;
  });
}
