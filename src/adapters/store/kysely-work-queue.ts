// The work queue over Kysely. Coalescing rests on one rule the
// schema enforces (a partial unique index): at most one waiting job — queued or dead — per (kind, key).
// Every write that can create a waiting job runs in a queueTransaction, so it sees the others' results;
// a job that fails or loses its lease while a successor waits for the same key merges into it.
// Marking keys dirty is in job-enqueue.ts; the coalescing steps the writes share, in job-coalescing.ts.
import { sql, type Kysely, type Updateable } from 'kysely';
import { RosterError, type RosterErrorData } from '../../domain/errors.ts';
import type { FeedDelivery, FeedName, Job, JobStatus, QueueStats } from '../../domain/work.ts';
import type { WorkQueue } from '../../ports/work-queue.ts';
import { absorb, earlier, refOf, waitingJobs } from './job-coalescing.ts';
import { enqueueDelivery } from './job-enqueue.ts';
import { json, parse, rowToJob } from './row-mapping.ts';
import type { JobsTable, StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, instant, queueTransaction } from './store-transactions.ts';

type Db = Kysely<StoreDatabase>;

/** Queue order: contacts before accounts, then the longest due, then the oldest. */
function claimOrder(a: Job, b: Job): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.nextAttemptAt !== b.nextAttemptAt) return a.nextAttemptAt < b.nextAttemptAt ? -1 : 1;
  return a.id - b.id;
}

export class KyselyWorkQueue implements WorkQueue {
  constructor(
    private readonly db: Db,
    private readonly dialect: StoreDialect,
  ) {}

  enqueue(delivery: FeedDelivery, at: string): Promise<{ queued: number; duplicates: string[] }> {
    return enqueueDelivery(this.db, this.dialect, delivery, at);
  }

  async claim(opts: { now: string; limit: number; leaseUntil: string }): Promise<Job[]> {
    if (!(opts.limit > 0)) return [];
    const now = instant(opts.now);
    // One statement: SQLite runs it alone; on PostgreSQL SKIP LOCKED hands a concurrent claimer other
    // rows, and the materialised CTE picks them once (as an IN subquery it may be rescanned per row, and
    // each rescan skips the rows already taken, overrunning the limit).
    const rows = await this.db
      .with(
        (cte) => (this.dialect === 'postgres' ? cte('picked').materialized() : cte('picked')),
        (db) =>
          db
            .selectFrom('jobs')
            .select('id')
            .where('status', '=', 'queued')
            .where('next_attempt_at', '<=', now)
            // A successor waits for its key's running job: run side by side, the older one could write
            // what it read before the change after the newer one wrote what is true now.
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('jobs as active')
                    .select('active.id')
                    .where('active.status', '=', 'running')
                    .whereRef('active.kind', '=', 'jobs.kind')
                    .whereRef('active.key', '=', 'jobs.key'),
                ),
              ),
            )
            .orderBy('priority')
            .orderBy('next_attempt_at')
            .orderBy('id')
            .limit(Math.floor(opts.limit))
            .$if(this.dialect === 'postgres', (q) => q.forUpdate('jobs').skipLocked()),
      )
      .updateTable('jobs')
      .set({ status: 'running', lease_until: instant(opts.leaseUntil), updated_at: now })
      .where('status', '=', 'queued')
      .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
      .returningAll()
      .execute();
    return rows.map(rowToJob).sort(claimOrder);
  }

  async complete(jobIds: number[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(jobIds)) {
        await trx.deleteFrom('jobs').where('id', 'in', part).where('status', '=', 'running').execute();
      }
    });
  }

  fail(
    jobId: number,
    error: RosterErrorData,
    opts: { nextAttemptAt: string; maxAttempts: number; now: string },
  ): Promise<'queued' | 'dead'> {
    const now = instant(opts.now);
    const next = instant(opts.nextAttemptAt);
    return queueTransaction(this.db, this.dialect, async (trx) => {
      const job = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (job?.status !== 'running') {
        throw new RosterError(
          'ROSTER_STORE_CONFLICT',
          job ? `Job ${jobId} is ${job.status}, not running; it cannot fail.` : `No job ${jobId} to fail.`,
          { details: { jobId, status: job?.status ?? null } },
        );
      }
      const attempts = job.attempts + 1;
      const status: 'queued' | 'dead' = attempts >= opts.maxAttempts ? 'dead' : 'queued';
      const lastError = json(error);
      const waiting = (await waitingJobs(trx, this.dialect, [job])).get(refOf(job));
      if (!waiting) {
        await trx
          .updateTable('jobs')
          .set({
            status,
            attempts,
            next_attempt_at: next,
            lease_until: null,
            last_error: lastError,
            updated_at: now,
          })
          .where('id', '=', jobId)
          .execute();
        return status;
      }
      // The key was marked again while this job ran. A queued successor already covers it (with the
      // newer facts, due when it was marked); a dead one is revived by this retry or stays dead with it.
      if (waiting.status === 'queued') {
        await absorb(trx, waiting, job, { last_error: lastError }, now);
        return 'queued';
      }
      const set: Updateable<JobsTable> =
        status === 'queued'
          ? { status, attempts, next_attempt_at: next, last_error: lastError }
          : { attempts: Math.max(waiting.attempts, attempts), last_error: lastError };
      await absorb(trx, waiting, job, set, now);
      return status;
    });
  }

  releaseExpiredLeases(at: string): Promise<number> {
    const now = instant(at);
    return queueTransaction(this.db, this.dialect, async (trx) => {
      const expired = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('status', '=', 'running')
        .where('lease_until', '<', now)
        .orderBy('id')
        .$if(this.dialect === 'postgres', (q) => q.forUpdate())
        .execute();
      for (const job of expired) {
        // Re-read per job: two expired jobs of one key merge into the first one released.
        const waiting = (await waitingJobs(trx, this.dialect, [job])).get(refOf(job));
        if (!waiting) {
          await trx
            .updateTable('jobs')
            .set({ status: 'queued', lease_until: null, updated_at: now })
            .where('id', '=', job.id)
            .execute();
        } else if (waiting.status === 'queued') {
          const due = earlier(waiting.next_attempt_at, job.next_attempt_at);
          await absorb(trx, waiting, job, { next_attempt_at: due }, now);
        } else {
          const set = { status: 'queued', attempts: job.attempts, next_attempt_at: job.next_attempt_at };
          await absorb(trx, waiting, job, set, now);
        }
      }
      return expired.length;
    });
  }

  async list(filter: { status?: JobStatus; limit?: number }): Promise<Job[]> {
    if (filter.limit !== undefined && !(filter.limit > 0)) return [];
    let q = this.db.selectFrom('jobs').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    // Queued jobs in the order they will run; everything else newest first.
    q =
      filter.status === 'queued'
        ? q.orderBy('priority').orderBy('next_attempt_at').orderBy('id')
        : q.orderBy('id', 'desc');
    if (filter.limit !== undefined) q = q.limit(Math.floor(filter.limit));
    return (await q.execute()).map(rowToJob);
  }

  reviveDead(at: string, ids?: number[]): Promise<number> {
    const now = instant(at);
    const parts: (number[] | null)[] = ids === undefined ? [null] : chunk(ids);
    return queueTransaction(this.db, this.dialect, async (trx) => {
      let count = 0;
      for (const part of parts) {
        const result = await trx
          .updateTable('jobs')
          .set({ status: 'queued', attempts: 0, next_attempt_at: now, lease_until: null, updated_at: now })
          .where('status', '=', 'dead')
          .$if(part !== null, (q) => q.where('id', 'in', part ?? []))
          .executeTakeFirst();
        count += Number(result.numUpdatedRows);
      }
      return count;
    });
  }

  async stats(at: string): Promise<QueueStats> {
    const now = instant(at);
    const { rows } = await sql<{
      queued: number | string | null;
      ready: number | string | null;
      running: number | string | null;
      dead: number | string | null;
      oldest: string | null;
    }>`
      select
        sum(case when status = 'queued' then 1 else 0 end) as queued,
        sum(case when status = 'queued' and next_attempt_at <= ${now} then 1 else 0 end) as ready,
        sum(case when status = 'running' then 1 else 0 end) as running,
        sum(case when status = 'dead' then 1 else 0 end) as dead,
        min(case when status = 'queued' then first_queued_at end) as oldest
      from jobs`.execute(this.db);
    const r = rows[0];
    return {
      queued: Number(r?.queued ?? 0),
      ready: Number(r?.ready ?? 0),
      running: Number(r?.running ?? 0),
      dead: Number(r?.dead ?? 0),
      oldestQueuedAt: r?.oldest ?? null,
    };
  }

  async checkpoint(feed: FeedName): Promise<unknown | null> {
    const row = await this.db
      .selectFrom('feed_checkpoints')
      .select('state')
      .where('feed', '=', feed)
      .executeTakeFirst();
    return row ? parse<unknown>(row.state) : null;
  }
}
