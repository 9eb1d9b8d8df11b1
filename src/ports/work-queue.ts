import type { RosterErrorData } from '../domain/errors.ts';
import type { DirtyKey, FeedDelivery, FeedName, Job, JobStatus, QueueStats } from '../domain/work.ts';

/**
 * The durable work queue and feed checkpoints, in Roster's store (SQLite or PostgreSQL alike).
 * Keys are coalesced: one queued (or dead) job per (kind, key); a key marked again while its job runs
 * gets a new queued job, because the running one may have read facts from before the change.
 */
export interface WorkQueue {
  /**
   * In one transaction: drops deliveries whose dedupe ids were seen before, queues the keys (reviving a
   * dead job, making a backed-off job due now, merging sources), records the dedupe ids and stores the
   * checkpoint. Returns the dedupe ids that were duplicates.
   */
  enqueue(delivery: FeedDelivery, now: string): Promise<{ queued: number; duplicates: string[] }>;
  /** Marks up to `limit` due jobs running until `leaseUntil`, contacts before accounts, oldest first. */
  claim(opts: { now: string; limit: number; leaseUntil: string }): Promise<Job[]>;
  /** The jobs are done: they leave the queue. */
  complete(jobIds: number[]): Promise<void>;
  /** A job failed: back to queued with attempts + 1 and a later due time, or dead after `maxAttempts`. */
  fail(
    jobId: number,
    error: RosterErrorData,
    opts: { nextAttemptAt: string; maxAttempts: number; now: string },
  ): Promise<'queued' | 'dead'>;
  /** Jobs left running by a crashed process (lease expired) go back to queued; returns how many. */
  releaseExpiredLeases(now: string): Promise<number>;
  list(filter: { status?: JobStatus; limit?: number }): Promise<Job[]>;
  /** Dead jobs back to queued with attempts reset (all of them when `ids` is omitted); returns how many. */
  reviveDead(now: string, ids?: number[]): Promise<number>;
  stats(now: string): Promise<QueueStats>;
  checkpoint(feed: FeedName): Promise<unknown | null>;
}

export type { DirtyKey };
