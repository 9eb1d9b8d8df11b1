// The polling feed (on by default, works in every org): every interval, ask Salesforce which Accounts and
// Contacts changed since the watermark (SystemModstamp, deleted rows included), and mark them dirty.
// The watermark moves back by an overlap window each time, because a long transaction can commit with a
// SystemModstamp earlier than the last poll; what was already seen inside that window is skipped.
import type { RecordChange } from '../../domain/crm.ts';
import type { DirtyKey, FeedHealth } from '../../domain/work.ts';
import { errorData } from '../../domain/errors.ts';
import type { ChangeFeed, FeedSink } from '../../ports/change-feed.ts';
import type { Clock, Timer } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { CrmSource } from '../../ports/crm-source.ts';

const OBJECTS = ['Account', 'Contact'] as const;
type PolledObject = (typeof OBJECTS)[number];

interface ObjectWatermark {
  /** Newest SystemModstamp seen. */
  watermark: string;
  /** `id@modstamp` of changes inside the overlap window, so re-reading the window marks nothing twice. */
  seen: string[];
}

export type PollCheckpoint = Record<PolledObject, ObjectWatermark> & {
  /** When polling began: the overlap never reaches before it (earlier is the start-up reconciliation's job). */
  from?: string;
};

export interface PollFeedOptions {
  crm: CrmSource;
  clock: Clock;
  intervalMs: number;
  overlapMs: number;
  /** Above this share (0–1) of the org's daily API allowance, the interval grows. */
  slowDownAbove: number;
  log: Logger;
}

export class PollFeed implements ChangeFeed {
  readonly name = 'poll' as const;
  private checkpoint: PollCheckpoint | null = null;
  private timer: Timer | null = null;
  private running: Promise<void> | null = null;
  /** A timer's poll and the arming of the next one. */
  private cycle: Promise<void> | null = null;
  private stopped = false;
  private sink: FeedSink | null = null;
  private readonly state: FeedHealth = {
    feed: 'poll',
    state: 'starting',
    lastHeartbeatAt: null,
    lastEventAt: null,
    lagMs: null,
    events: 0,
    consecutiveFailures: 0,
    error: null,
  };
  private lastPollStartedAt: number | null = null;

  constructor(private readonly opts: PollFeedOptions) {}

  async start(sink: FeedSink, checkpoint: unknown | null): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    this.checkpoint = isCheckpoint(checkpoint) ? checkpoint : null;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
    this.state.state = 'stopped';
  }

  health(): FeedHealth {
    const lag =
      this.lastPollStartedAt === null ? null : this.opts.clock.now().getTime() - this.lastPollStartedAt;
    return { ...this.state, lagMs: lag };
  }

  inFlight(): Promise<void> | null {
    return this.cycle ?? this.running;
  }

  /** Polls once now (the service also calls this on demand, e.g. in tests and the live demo). */
  pollNow(): Promise<void> {
    if (!this.running) {
      this.running = this.pollOnce().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimer(delayMs, () => {
      const cycle = this.pollNow().finally(() => {
        if (this.cycle === cycle) this.cycle = null;
        this.schedule(this.nextInterval());
      });
      this.cycle = cycle;
    });
  }

  private nextInterval(): number {
    const usage = this.opts.crm.apiUsage();
    const interval = pollInterval(this.opts.intervalMs, usage, this.opts.slowDownAbove);
    if (interval > this.opts.intervalMs)
      this.opts.log.warn('Salesforce API use is high; polling slows down', { ...usage });
    return interval;
  }

  private async pollOnce(): Promise<void> {
    const started = this.opts.clock.now();
    try {
      // The first attempt fixes where polling begins, even if it fails: a retry must not start later
      // and miss what changed in between.
      const previous = (this.checkpoint ??= initialCheckpoint(started));
      const next = { ...previous };
      const keys: DirtyKey[] = [];
      for (const object of OBJECTS) {
        const since = new Date(
          Math.max(
            new Date(previous[object].watermark).getTime() - this.opts.overlapMs,
            previous.from ? Date.parse(previous.from) : 0,
          ),
        );
        const changes = await this.opts.crm.changedSince(object, since.toISOString());
        const { fresh, watermark } = advance(previous[object], changes, this.opts.overlapMs);
        next[object] = watermark;
        for (const c of fresh)
          keys.push({ kind: object === 'Account' ? 'account' : 'contact', id: c.id, source: 'poll' });
      }
      await this.sink?.({ keys, checkpoint: { feed: 'poll', state: next } });
      this.checkpoint = next;
      this.lastPollStartedAt = started.getTime();
      const now = this.opts.clock.now().toISOString();
      this.state.lastHeartbeatAt = now;
      if (keys.length > 0) this.state.lastEventAt = now;
      this.state.events += keys.length;
      this.state.consecutiveFailures = 0;
      this.state.error = null;
      this.state.state = 'ok';
    } catch (e) {
      this.state.consecutiveFailures += 1;
      this.state.error = errorData(e).message;
      this.state.state = 'degraded';
      this.opts.log.warn('Salesforce poll failed; the next poll retries', {
        code: errorData(e).code,
        failures: this.state.consecutiveFailures,
      });
    }
  }
}

function initialCheckpoint(now: Date): PollCheckpoint {
  // From now: what happened before Roster started is the start-up reconciliation's job.
  const w = { watermark: now.toISOString(), seen: [] };
  return { Account: w, Contact: { ...w }, from: now.toISOString() };
}

/**
 * Pure: the wait before the next poll. Past the threshold share of the org's daily API allowance,
 * polling slows to a quarter of its pace, and stops being the thing that exhausts the org's API.
 */
export function pollInterval(
  intervalMs: number,
  usage: { used: number; max: number } | null,
  slowDownAbove: number,
): number {
  if (!usage || usage.max <= 0) return intervalMs;
  const share = usage.used / usage.max;
  return share > slowDownAbove ? intervalMs * 4 : intervalMs;
}

/** Pure: which changes are new, and the watermark after them. */
export function advance(
  previous: ObjectWatermark,
  changes: RecordChange[],
  overlapMs: number,
): { fresh: RecordChange[]; watermark: ObjectWatermark } {
  const seen = new Set(previous.seen);
  const fresh = changes.filter((c) => !seen.has(`${c.id}@${c.systemModstamp}`));
  let watermark = previous.watermark;
  for (const c of changes) if (c.systemModstamp > watermark) watermark = c.systemModstamp;
  const windowStart = new Date(new Date(watermark).getTime() - overlapMs).toISOString();
  const keep = [...previous.seen, ...fresh.map((c) => `${c.id}@${c.systemModstamp}`)].filter(
    (s) => (s.split('@')[1] ?? '') >= windowStart,
  );
  return { fresh, watermark: { watermark, seen: [...new Set(keep)] } };
}

function isCheckpoint(value: unknown): value is PollCheckpoint {
  if (value === null || typeof value !== 'object') return false;
  return OBJECTS.every((o) => {
    const w = (value as Record<string, unknown>)[o] as ObjectWatermark | undefined;
    return typeof w?.watermark === 'string' && Array.isArray(w.seen);
  });
}
