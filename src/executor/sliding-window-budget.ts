// The Docebo call budget: at most `callsPerHour` calls in any trailing 3600 s. A sliding log of call times
// is exact (no burst at a fixed window's edge), and at ~1,000 calls per hour it stays small.
import type { CallBudget } from '../ports/call-budget.ts';
import type { Clock } from '../ports/clock.ts';

const WINDOW_MS = 3_600_000;

export class SlidingWindowBudget implements CallBudget {
  private readonly callsPerHour: number;
  private readonly clock: Clock;
  private readonly log: number[] = [];
  private total = 0;
  /** Waiters queue up so calls are granted in the order they asked. */
  private queue: Promise<void> = Promise.resolve();

  /** callsPerHour ≤ 0 or Infinity means unlimited. */
  constructor(opts: { callsPerHour: number; clock: Clock }) {
    this.callsPerHour = opts.callsPerHour;
    this.clock = opts.clock;
  }

  private get unlimited(): boolean {
    return !Number.isFinite(this.callsPerHour) || this.callsPerHour <= 0;
  }

  private prune(nowMs: number): void {
    while (this.log.length > 0 && (this.log[0] as number) + WINDOW_MS < nowMs) this.log.shift();
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    if (this.unlimited) {
      this.total += 1;
      return;
    }
    for (;;) {
      const now = this.clock.now().getTime();
      this.prune(now);
      if (this.log.length < this.callsPerHour) {
        this.log.push(now);
        this.total += 1;
        return;
      }
      const oldest = this.log[0] as number;
      // Strictly more than an hour apart: call N+1 never shares a closed 3600 s window with call 1.
      await this.clock.sleep(Math.max(1, oldest + WINDOW_MS + 1 - now));
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
