// Marking keys dirty: one queueTransaction records the delivery's ids (a redelivery queues nothing),
// folds each key into its waiting job or queues a new one, and saves the feed's checkpoint — so a
// checkpoint never moves past keys that were not queued.
import type { Kysely } from 'kysely';
import {
  priorityOf,
  type DirtyKey,
  type DirtyKind,
  type DirtySource,
  type FeedDelivery,
} from '../../domain/work.ts';
import { earlier, recordDeliveries, refOf, union, waitingJobs } from './job-coalescing.ts';
import { json, parse } from './row-mapping.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, instant, queueTransaction } from './store-transactions.ts';

type Db = Kysely<StoreDatabase>;

export function enqueueDelivery(
  db: Db,
  dialect: StoreDialect,
  delivery: FeedDelivery,
  at: string,
): Promise<{ queued: number; duplicates: string[] }> {
  const now = instant(at);
  return queueTransaction(db, dialect, async (trx) => {
    const { duplicates, allSeen } = delivery.dedupe
      ? await recordDeliveries(trx, delivery.dedupe, now)
      : { duplicates: [], allSeen: false };
    const queued = allSeen ? 0 : await queueKeys(trx, dialect, delivery.keys, now);
    if (delivery.checkpoint) {
      const row = {
        feed: delivery.checkpoint.feed,
        state: json(delivery.checkpoint.state),
        updated_at: now,
      };
      await trx
        .insertInto('feed_checkpoints')
        .values(row)
        .onConflict((oc) => oc.column('feed').doUpdateSet({ state: row.state, updated_at: now }))
        .execute();
    }
    return { queued, duplicates };
  });
}

async function queueKeys(
  trx: Db,
  dialect: StoreDialect,
  keys: readonly DirtyKey[],
  now: string,
): Promise<number> {
  const wanted = new Map<string, { kind: DirtyKind; key: string; sources: DirtySource[] }>();
  for (const k of keys) {
    const ref = refOf({ kind: k.kind, key: k.id });
    const seen = wanted.get(ref);
    if (seen) seen.sources = union(seen.sources, [k.source]);
    else wanted.set(ref, { kind: k.kind, key: k.id, sources: [k.source] });
  }
  const waiting = await waitingJobs(trx, dialect, [...wanted.values()]);
  const inserts = [];
  for (const [ref, w] of wanted) {
    const job = waiting.get(ref);
    if (!job) {
      inserts.push({
        kind: w.kind,
        key: w.key,
        priority: priorityOf(w.kind),
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        sources: json(w.sources),
        first_queued_at: now,
        updated_at: now,
        last_error: null,
      });
      continue;
    }
    const dead = job.status === 'dead';
    await trx
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: dead ? 0 : job.attempts,
        next_attempt_at: earlier(job.next_attempt_at, now),
        sources: json(union(parse<DirtySource[]>(job.sources), w.sources)),
        updated_at: now,
      })
      .where('id', '=', job.id)
      .execute();
  }
  for (const part of chunk(inserts)) await trx.insertInto('jobs').values(part).execute();
  return wanted.size;
}
