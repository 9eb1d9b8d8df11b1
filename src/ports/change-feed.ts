import type { FeedDelivery, FeedHealth, FeedName } from '../domain/work.ts';

/** Hands a delivery to the durable queue; resolves only once it is stored (then a feed may acknowledge). */
export type FeedSink = (delivery: FeedDelivery) => Promise<{ duplicates: string[] }>;

/** A source of "look at these records" signals that runs in the background (polling, CDC). */
export interface ChangeFeed {
  readonly name: FeedName;
  /** Starts consuming from `checkpoint` (null: from now). Resolves once running; failures show in health(). */
  start(sink: FeedSink, checkpoint: unknown | null): Promise<void>;
  stop(): Promise<void>;
  health(): FeedHealth;
  /**
   * What the feed started by itself and has not finished (a poll in flight), or null. The service waits
   * for it in `whenIdle`, so tests that drive it in virtual time know when a poll's work is queued.
   */
  inFlight?(): Promise<void> | null;
}
