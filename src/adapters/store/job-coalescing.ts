// The pieces of coalescing the work queue's writes share: finding a key's waiting job, folding one job
// into another, and recording delivery ids. Each runs inside the caller's queueTransaction.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DirtySource, FeedName } from '../../domain/work.ts';
import { json, parse } from './row-mapping.ts';
import type { JobsTable, StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk } from './store-transactions.ts';

type Db = Kysely<StoreDatabase>;
export type JobRow = Selectable<JobsTable>;

export interface KeyRef {
  kind: string;
  key: string;
}

export const refOf = (k: KeyRef): string => `${k.kind}\u0000${k.key}`;
/** Of two instants in the store's one text form. */
export const earlier = (a: string, b: string): string => (a <= b ? a : b);

export function union(a: readonly DirtySource[], b: readonly DirtySource[]): DirtySource[] {
  return [...new Set([...a, ...b])];
}

/** The waiting (queued or dead) job of each key, locked on PostgreSQL against a concurrent claim. */
export async function waitingJobs(
  trx: Db,
  dialect: StoreDialect,
  keys: readonly KeyRef[],
): Promise<Map<string, JobRow>> {
  const found = new Map<string, JobRow>();
  for (const part of chunk(keys)) {
    const rows = await trx
      .selectFrom('jobs')
      .selectAll()
      .where('status', 'in', ['queued', 'dead'])
      .where((eb) =>
        eb(
          eb.refTuple('kind', 'key'),
          'in',
          part.map((k) => eb.tuple(k.kind, k.key)),
        ),
      )
      .$if(dialect === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const row of rows) found.set(refOf(row), row);
  }
  return found;
}

/** Folds job `from` into the waiting job `into` of the same key (sources, first queued) and deletes it. */
export async function absorb(
  trx: Db,
  into: JobRow,
  from: JobRow,
  set: Updateable<JobsTable>,
  now: string,
): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({
      lease_until: null,
      sources: json(union(parse<DirtySource[]>(into.sources), parse<DirtySource[]>(from.sources))),
      first_queued_at: earlier(into.first_queued_at, from.first_queued_at),
      updated_at: now,
      ...set,
    })
    .where('id', '=', into.id)
    .execute();
  await trx.deleteFrom('jobs').where('id', '=', from.id).execute();
}

/**
 * Records a delivery's ids and returns those seen before; `allSeen` when the delivery carried ids and
 * every one was a duplicate (its keys were queued when it first came).
 */
export async function recordDeliveries(
  trx: Db,
  dedupe: { source: FeedName; ids: string[] },
  now: string,
): Promise<{ duplicates: string[]; allSeen: boolean }> {
  const ids = [...new Set(dedupe.ids)];
  if (ids.length === 0) return { duplicates: [], allSeen: false };
  const seen = new Set<string>();
  for (const part of chunk(ids)) {
    const rows = await trx
      .selectFrom('seen_deliveries')
      .select('id')
      .where('source', '=', dedupe.source)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) seen.add(r.id);
  }
  const fresh = ids.filter((id) => !seen.has(id));
  for (const part of chunk(fresh)) {
    await trx
      .insertInto('seen_deliveries')
      .values(part.map((id) => ({ source: dedupe.source, id, seen_at: now })))
      .execute();
  }
  return { duplicates: ids.filter((id) => seen.has(id)), allSeen: fresh.length === 0 };
}
