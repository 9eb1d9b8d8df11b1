// Change Data Capture over the Pub/Sub API: one Subscribe stream, pulled `batchRequest` events at a time.
// Each response's keys go to the sink together with the replay id that follows them, and more events are
// requested only once the sink has stored both, so a crash resumes exactly after the last stored batch.
// An expired replay id asks for a full resync and starts again at the tip; an expired session logs in
// again once; anything else reconnects with backoff from the last stored replay id.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { z } from 'zod';
import type { FeedDelivery, FeedHealth, FeedState } from '../../domain/work.ts';
import { backoffDelayMs, type BackoffPolicy } from '../../executor/backoff.ts';
import type { ChangeFeed, FeedSink } from '../../ports/change-feed.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import {
  checkpointOf,
  consumeStream,
  isReplayIdRejected,
  safeMessage,
  signal,
  within,
  type Outcome,
} from './cdc-stream.ts';
import { CdcEventReader } from './cdc-event-reader.ts';
import { objectsOfTopic } from './change-event-decoding.ts';
import {
  GrpcStatus,
  isServiceError,
  PubSubClient,
  type FetchRequestMsg,
  type FetchResponseMsg,
  type PubSubSession,
} from './pubsub-client.ts';

export interface SalesforceCdcFeedOptions {
  /** `host:port`, e.g. `api.pubsub.salesforce.com:7443`. */
  pubsubAddress: string;
  /** Trust this certificate (the simulator's); real Salesforce uses public CAs. */
  caPem?: string;
  /** Default `/data/ChangeEvents`. */
  topic?: string;
  /** num_requested per request, 1–100. Default 100. */
  batchRequest?: number;
  clock: Clock;
  log: Logger;
  /** Reconnect waits; default 1 s doubling to 60 s. */
  backoff?: BackoffPolicy;
  /** Jitter source (tests pass a constant). */
  random?: () => number;
  /** Logs in to Salesforce (the composition root passes the REST adapter's OAuth flows). */
  login: () => Promise<PubSubSession>;
}

const checkpointSchema = z.object({ replayId: z.string().nullable() });

// After this many failures in a row the feed reports itself failed rather than degraded.
const FAILED_AFTER = 3;
const STARTUP_WAIT_MS = 15_000;

export class SalesforceCdcFeed implements ChangeFeed {
  readonly name = 'cdc' as const;
  private readonly topic: string;
  private readonly batch: number;
  private readonly client: PubSubClient;
  private readonly reader: CdcEventReader;
  private sink: FeedSink | null = null;
  /** The replay id whose work is stored: where a new stream resumes. */
  private replayId: Buffer | null = null;
  private session: PubSubSession | null = null;
  private call: ClientDuplexStream<FetchRequestMsg, FetchResponseMsg> | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private stopSignal: { promise: Promise<void>; fire: () => void } = signal();
  private connected = false;
  private stats = {
    lastHeartbeatAt: null as string | null,
    lastEventAt: null as string | null,
    lagMs: null as number | null,
    events: 0,
    consecutiveFailures: 0,
    error: null as string | null,
  };

  constructor(private readonly opts: SalesforceCdcFeedOptions) {
    this.topic = opts.topic ?? '/data/ChangeEvents';
    this.batch = Math.min(100, Math.max(1, opts.batchRequest ?? 100));
    this.client = new PubSubClient(opts.pubsubAddress, opts.caPem);
    this.reader = new CdcEventReader(this.client, this.topic, opts.log);
  }

  async start(sink: FeedSink, checkpoint: unknown | null): Promise<void> {
    if (this.loop) throw new Error('The CDC feed is already running.');
    const parsed =
      checkpoint === null || checkpoint === undefined ? null : checkpointSchema.safeParse(checkpoint);
    if (parsed && !parsed.success) {
      this.opts.log.warn('CDC checkpoint unreadable; starting from the latest event', { feed: 'cdc' });
    }
    const replayId = parsed?.success ? parsed.data.replayId : null;
    this.replayId = replayId ? Buffer.from(replayId, 'base64') : null;
    this.sink = sink;
    this.stopping = false;
    this.stopSignal = signal();
    const started = signal();
    this.loop = this.run(started.fire);
    // Resolves once the first subscription is live or has failed; the feed keeps trying either way.
    await within(started.promise, this.opts.clock, STARTUP_WAIT_MS);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.fire();
    this.call?.cancel();
    await this.loop;
    this.loop = null;
    this.connected = false;
  }

  health(): FeedHealth {
    let state: FeedState;
    if (this.stopping) state = 'stopped';
    else if (!this.loop) state = 'starting';
    else if (this.stats.consecutiveFailures >= FAILED_AFTER) state = 'failed';
    else if (this.stats.consecutiveFailures > 0) state = 'degraded';
    else state = this.connected ? 'ok' : 'starting';
    return { feed: 'cdc', state, ...this.stats };
  }

  private async run(onStarted: () => void): Promise<void> {
    let attempt = 0;
    let reloggedIn = false;
    while (!this.stopping) {
      let outcome: Outcome;
      try {
        if (!this.session) this.session = await this.opts.login();
        outcome = await this.subscribeOnce(() => {
          attempt = 0;
          reloggedIn = false;
          onStarted();
        });
      } catch (e) {
        outcome = { kind: 'error', error: e };
      }
      if (this.stopping || outcome.kind === 'stopped') break;
      this.connected = false;
      const error = outcome.kind === 'error' ? outcome.error : null;

      if (isServiceError(error) && error.code === GrpcStatus.UNAUTHENTICATED && !reloggedIn) {
        // Sessions expire (2 h idle by default): log in again once, straight away.
        reloggedIn = true;
        this.session = null;
        this.opts.log.info('Pub/Sub session expired; logging in again', { feed: 'cdc' });
        continue;
      }
      if (isReplayIdRejected(error)) {
        if (await this.restartAtTip(error)) continue;
      } else {
        this.recordFailure(error ?? new Error('The Pub/Sub stream ended'));
        if (isServiceError(error) && error.code === GrpcStatus.UNAUTHENTICATED) this.session = null;
      }
      onStarted();
      const wait = this.backoffMs(attempt);
      attempt += 1;
      await Promise.race([this.opts.clock.sleep(wait), this.stopSignal.promise]);
    }
    this.call = null;
    onStarted();
  }

  /** The stored replay id is gone (older than retention): everything must be reconciled, then go on from now. */
  private async restartAtTip(error: unknown): Promise<boolean> {
    const objects = objectsOfTopic(this.topic);
    this.opts.log.warn(
      'CDC replay id no longer available; requesting a full resync and resuming from the latest event',
      { feed: 'cdc', resync: objects, error: safeMessage(error) },
    );
    try {
      await this.deliver({
        keys: [],
        resync: objects,
        checkpoint: { feed: 'cdc', state: { replayId: null } },
      });
    } catch {
      return false;
    }
    this.replayId = null;
    return true;
  }

  private subscribeOnce(onLive: () => void): Promise<Outcome> {
    const session = this.session as PubSubSession;
    const call = this.client.subscribe(session);
    this.call = call;
    call.on('metadata', () => {
      this.connected = true;
      onLive();
    });
    const outcome = consumeStream(call, {
      handle: (r) => this.handle(r, call, session),
      stopping: () => this.stopping,
    });
    call.write(
      this.replayId
        ? {
            topic_name: this.topic,
            replay_preset: 'CUSTOM',
            replay_id: this.replayId,
            num_requested: this.batch,
          }
        : { topic_name: this.topic, replay_preset: 'LATEST', num_requested: this.batch },
    );
    return outcome.finally(() => {
      if (this.call === call) this.call = null;
    });
  }

  private async handle(
    r: FetchResponseMsg,
    call: ClientDuplexStream<FetchRequestMsg, FetchResponseMsg>,
    session: PubSubSession,
  ): Promise<void> {
    const now = this.opts.clock.now();
    this.connected = true;
    this.stats.lastHeartbeatAt = now.toISOString();
    if (r.events.length === 0) {
      // A keep-alive: nothing is pending, and its replay id is a safe place to resume.
      if (r.latest_replay_id.length > 0) {
        await this.deliver({ keys: [], checkpoint: checkpointOf(r.latest_replay_id) });
        this.replayId = Buffer.from(r.latest_replay_id);
      }
      this.stats.lagMs = 0;
      this.succeeded();
      return;
    }
    const { keys, resync, undecodable, lastCommit } = await this.reader.read(session, r.events);
    const last = r.events[r.events.length - 1]?.replay_id as Buffer;
    await this.deliver({
      keys,
      checkpoint: checkpointOf(last),
      ...(resync.length > 0 ? { resync } : {}),
      ...(undecodable > 0 ? { undecodable } : {}),
    });
    this.replayId = Buffer.from(last);
    this.stats.events += r.events.length;
    this.stats.lastEventAt = now.toISOString();
    if (lastCommit !== null) this.stats.lagMs = Math.max(0, now.getTime() - lastCommit);
    this.succeeded();
    // Capacity comes back only for what has been stored.
    if (!this.stopping) {
      try {
        call.write({ num_requested: r.events.length });
      } catch {
        // The stream just ended; the next one resumes from the replay id stored above.
      }
    }
  }

  /**
   * Hands a delivery to the sink, retrying with backoff until it is stored: the events are in hand, and a
   * stream opened at LATEST has no earlier replay id to fall back to.
   */
  private async deliver(delivery: FeedDelivery): Promise<void> {
    const sink = this.sink;
    if (!sink) throw new Error('The CDC feed has no sink.');
    for (let attempt = 0; ; attempt++) {
      try {
        await sink(delivery);
        return;
      } catch (e) {
        if (this.stopping) throw e;
        this.recordFailure(e, 'Storing CDC work failed; retrying');
        await Promise.race([this.opts.clock.sleep(this.backoffMs(attempt)), this.stopSignal.promise]);
        if (this.stopping) throw e;
      }
    }
  }

  private backoffMs(attempt: number): number {
    return backoffDelayMs(attempt, {
      random: this.opts.random ?? Math.random,
      ...(this.opts.backoff ? { policy: this.opts.backoff } : {}),
    });
  }

  private succeeded(): void {
    if (this.stats.consecutiveFailures > 0) this.opts.log.info('CDC feed recovered', { feed: 'cdc' });
    this.stats.consecutiveFailures = 0;
    this.stats.error = null;
  }

  private recordFailure(e: unknown, msg = 'CDC stream failed; reconnecting'): void {
    this.stats.consecutiveFailures += 1;
    this.stats.error = safeMessage(e);
    this.opts.log.warn(msg, {
      feed: 'cdc',
      failures: this.stats.consecutiveFailures,
      error: this.stats.error,
    });
  }
}
