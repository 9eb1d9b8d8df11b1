// At most one reconciliation per interval for feed trouble: a feed asking for a full resync (CDC events it
// cannot decode, GAP_OVERFLOW, an expired replay id). Each full reconciliation lists every Docebo user
// from the hour's call budget, so a stream of bad events must not turn into back-to-back ones. A request
// inside the interval is not dropped: it waits, merged with any others, until the interval has passed —
// one reconciliation covers them all, as does any reconciliation that starts after them (`covered`).
// Scheduled, start-up and admin reconciliations do not pass through here and are never limited.
import type { Clock, Timer } from '../../ports/clock.ts';

export interface ReconcileThrottleOptions {
  clock: Clock;
  /** At most one reconciliation for feed trouble per this long; 0 = no limit. */
  intervalMs: number;
  /**
   * Queues a reconciliation. False when it could not be queued behind the one running now (which may
   * have read Salesforce before the trouble): the request stays pending and is tried again.
   */
  start(reason: string): boolean;
  /** Wait before trying again when `start` returned false; default 60 s. */
  retryMs?: number;
}

/** started now; deferred (a new pending reconciliation); merged into the pending one. */
export type ThrottleDecision = { outcome: 'started' } | { outcome: 'deferred' | 'merged'; until: Date };

interface Pending {
  /** Each distinct reason and how often it was asked for. */
  reasons: Map<string, number>;
  until: number;
  timer: Timer;
}

export class ReconcileThrottle {
  private lastStartedAt: number | null = null;
  private pending: Pending | null = null;
  private readonly retryMs: number;

  constructor(private readonly opts: ReconcileThrottleOptions) {
    this.retryMs = opts.retryMs ?? 60_000;
  }

  /** A feed asked for a full resync: start one now if the interval allows, else when it does. */
  request(reason: string): ThrottleDecision {
    if (this.pending) {
      this.pending.reasons.set(reason, (this.pending.reasons.get(reason) ?? 0) + 1);
      return { outcome: 'merged', until: new Date(this.pending.until) };
    }
    const reasons = new Map([[reason, 1]]);
    const now = this.opts.clock.now().getTime();
    const allowedAt = this.lastStartedAt === null ? now : this.lastStartedAt + this.opts.intervalMs;
    if (allowedAt <= now) {
      if (this.tryStart(reasons)) return { outcome: 'started' };
      return this.defer(reasons, now + this.retryMs);
    }
    return this.defer(reasons, allowedAt);
  }

  /** A full reconciliation is starting (for whatever reason): it covers every request made before it. */
  covered(): void {
    this.pending?.timer.cancel();
    this.pending = null;
  }

  /** When the pending request will run, if there is one. */
  get deferredUntil(): Date | null {
    return this.pending ? new Date(this.pending.until) : null;
  }

  stop(): void {
    this.pending?.timer.cancel();
    this.pending = null;
  }

  private defer(reasons: Map<string, number>, until: number): ThrottleDecision {
    const { clock } = this.opts;
    const timer = clock.setTimer(until - clock.now().getTime(), () => {
      if (this.pending?.timer !== timer) return;
      this.pending = null;
      if (!this.tryStart(reasons)) this.defer(reasons, clock.now().getTime() + this.retryMs);
    });
    this.pending = { reasons, until, timer };
    return { outcome: 'deferred', until: new Date(until) };
  }

  private tryStart(reasons: Map<string, number>): boolean {
    if (!this.opts.start(describe(reasons))) return false;
    this.lastStartedAt = this.opts.clock.now().getTime();
    return true;
  }
}

/** "cdc asked for a full resync of Account (×12); …", for the reconciliation's reason. */
function describe(reasons: Map<string, number>): string {
  return [...reasons].map(([reason, n]) => (n > 1 ? `${reason} (×${n})` : reason)).join('; ');
}
