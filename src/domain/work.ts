// The work the service does: change feeds mark Salesforce records dirty; jobs in a durable queue make
// the same pipeline look at them again. Feeds only say *what* to look at, never what to do.
import type { RosterErrorData } from './errors.ts';

/** The change feeds, plus the other ways a key gets marked dirty. */
export type FeedName = 'poll' | 'cdc' | 'outbound';
export type DirtySource = FeedName | 'reconcile' | 'retry' | 'admin';

export type DirtyKind = 'contact' | 'account';

export interface DirtyKey {
  kind: DirtyKind;
  /** 18-character Salesforce id. */
  id: string;
  source: DirtySource;
}

export type JobStatus = 'queued' | 'running' | 'dead';

/** One coalesced key in the queue: a thousand events for ACME are one job. */
export interface Job {
  id: number;
  kind: DirtyKind;
  key: string;
  /** Lower runs first: 0 = a contact (usually one person leaving), 1 = an account (a cascade). */
  priority: number;
  status: JobStatus;
  attempts: number;
  /** Not claimed before this instant (backoff after a failure). */
  nextAttemptAt: string;
  /** Every source that marked it since it was queued, e.g. ['poll', 'cdc']. */
  sources: DirtySource[];
  firstQueuedAt: string;
  updatedAt: string;
  lastError: RosterErrorData | null;
}

export interface QueueStats {
  queued: number;
  /** Queued and due now. */
  ready: number;
  running: number;
  dead: number;
  oldestQueuedAt: string | null;
}

export const priorityOf = (kind: DirtyKind): number => (kind === 'contact' ? 0 : 1);

/** What a feed hands over: keys to look at, and (atomically with them) where to resume from. */
export interface FeedDelivery {
  keys: DirtyKey[];
  /** Stored in the same transaction as the keys, so a crash never loses work a checkpoint skipped. */
  checkpoint?: { feed: FeedName; state: unknown };
  /** Delivery ids already seen are dropped (outbound messages arrive at least once). */
  dedupe?: { source: FeedName; ids: string[] };
  /** The feed lost track of these objects (e.g. CDC GAP_OVERFLOW): reconcile them in full. */
  resync?: ('Account' | 'Contact')[];
  /** Events the feed received but could not decode (CDC); their objects are in `resync`. */
  undecodable?: number;
}

export type FeedState = 'starting' | 'ok' | 'degraded' | 'failed' | 'stopped';

export interface FeedHealth {
  feed: FeedName;
  state: FeedState;
  /** Last time the feed proved alive (an event, an empty poll, a keep-alive). */
  lastHeartbeatAt: string | null;
  lastEventAt: string | null;
  /** How far behind Salesforce the feed is, when it can tell. */
  lagMs: number | null;
  events: number;
  consecutiveFailures: number;
  error: string | null;
}
