// The Docebo call budget: at most `callsPerHour` calls in any trailing 3600 s. A sliding log of call times
// is exact (no burst at a fixed window's edge), and at ~1,000 calls per hour it stays small.
// Callers wait in lanes: urgent work (leavers, the event path) is served before normal work, and
// background work (reconciliation listings) only runs while a reserve is left for the others.
import type { CallBudget } from '../ports/call-budget.ts';
import type { Clock } from '../ports/clock.ts';

const WINDOW_MS = 3_600_000;

const yieldToCaller = () => new Promise<void>((resolve) => setImmediate(resolve));

export type BudgetLane = 'urgent' | 'normal' | 'background';
const LANE_ORDER: Record<BudgetLane, number> = { urgent: 0, normal: 1, background: 2 };

interface Waiter {
  lane: BudgetLane;
  seq: number;
  resolve: () => void;
}

export interface SlidingWindowBudgetOptions {
  /** ≤ 0 or Infinity means unlimited. */
  callsPerHour: number;
  clock: Clock;
  /** Share of the hourly budget background work must leave free (default 0.2). */
  backgroundReserve?: number;
  /** Calls made before this process started (from the store), so a restart does not reset the window. */
  pastCalls?: number[];
  /** Told of every call granted, to persist it. */
  onCall?: (atMs: number) => void;
}

export class SlidingWindowBudget implements CallBudget {
  private readonly callsPerHour: number;
  private readonly clock: Clock;
  private readonly reserve: number;
  private readonly onCall: ((atMs: number) => void) | undefined;
  private readonly log: number[];
  private readonly waiters: Waiter[] = [];
  private total = 0;
  private seq = 0;
  private pumping = false;

  constructor(opts: SlidingWindowBudgetOptions) {
    this.callsPerHour = opts.callsPerHour;
    this.clock = opts.clock;
    this.reserve = Math.floor(Math.max(0, opts.callsPerHour) * (opts.backgroundReserve ?? 0.2));
    this.onCall = opts.onCall;
    this.log = [...(opts.pastCalls ?? [])].sort((a, b) => a - b);
  }

  private get unlimited(): boolean {
    return !Number.isFinite(this.callsPerHour) || this.callsPerHour <= 0;
  }

  private prune(nowMs: number): void {
    while (this.log.length > 0 && (this.log[0] as number) + WINDOW_MS < nowMs) this.log.shift();
  }

  acquire(lane: BudgetLane = 'normal'): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push({ lane, seq: this.seq++, resolve });
      void this.pump();
    });
  }

  /** A view of this budget whose calls all wait in one lane (e.g. a Docebo client for reconciliation). */
  lane(lane: BudgetLane): CallBudget {
    return {
      acquire: () => this.acquire(lane),
      remaining: () => this.remaining(),
      spent: () => this.spent(),
    };
  }

  private next(): Waiter | undefined {
    let best: Waiter | undefined;
    for (const w of this.waiters)
      if (!best || LANE_ORDER[w.lane] < LANE_ORDER[best.lane] || (w.lane === best.lane && w.seq < best.seq))
        best = w;
    return best;
  }

  private grant(w: Waiter, now: number): void {
    this.waiters.splice(this.waiters.indexOf(w), 1);
    if (!this.unlimited) this.log.push(now);
    this.total += 1;
    this.onCall?.(now);
    w.resolve();
  }

  // One pump at a time hands out slots, so lanes are honoured even while everyone waits for the window.
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        // The previous caller makes its call before the next slot is measured: the log holds real call times.
        if (this.total > 0 && !this.unlimited) await yieldToCaller();
        const w = this.next();
        if (!w) break;
        const now = this.clock.now().getTime();
        if (this.unlimited) {
          this.grant(w, now);
          continue;
        }
        this.prune(now);
        const limit = w.lane === 'background' ? this.callsPerHour - this.reserve : this.callsPerHour;
        if (this.log.length < limit) {
          this.grant(w, now);
          continue;
        }
        // Strictly more than an hour apart: call N+1 never shares a closed 3600 s window with call 1.
        const freeing = this.log[this.log.length - limit] ?? (this.log[0] as number);
        await this.clock.sleep(Math.max(1, freeing + WINDOW_MS + 1 - now));
      }
    } finally {
      this.pumping = false;
    }
  }

  remaining(): number {
    if (this.unlimited) return Number.POSITIVE_INFINITY;
    this.prune(this.clock.now().getTime());
    return Math.max(0, this.callsPerHour - this.log.length);
  }

  spent(): number {
    return this.total;
  }
}
