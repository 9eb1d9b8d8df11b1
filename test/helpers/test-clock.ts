// A virtual clock for tests. Time moves only when the test says so, except that a `sleep` (backoff, the
// Docebo budget waiting for its window) passes at once: time jumps to its end, firing any timer due by
// then, so rate limits and retries cost no wall time. Timers (windows, schedules, polls) fire on `tick`.
import type { Clock, Timer } from '../../src/ports/clock.ts';

interface Pending {
  due: number;
  seq: number;
  fn: () => void;
}

/** Lets promise chains and I/O callbacks that are already ready run. */
export const settle = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

export class TestClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];
  /** Every sleep asked for, in ms (backoff tests read it). */
  readonly sleeps: number[] = [];

  constructor(start: string | Date = '2025-06-01T09:00:00Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.fireUntil(this.t + Math.max(0, ms));
    // Let other tasks run, as a real timer would.
    await settle(1);
  }

  setTimer(ms: number, fn: () => void): Timer {
    const timer: Pending = { due: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  /** Moves time forward without firing timers (a clock jump). */
  advance(ms: number): void {
    this.t += ms;
  }

  /**
   * Moves time forward by `ms`, firing each timer at its due time in order and letting the work it
   * starts run (as far as it gets without waiting on real I/O) before the next.
   */
  async tick(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let next = this.nextDue(); next !== null && next <= end; next = this.nextDue()) {
      this.fireUntil(next);
      await settle();
    }
    this.t = Math.max(this.t, end);
    await settle();
  }

  /** Timers waiting to fire. */
  pending(): number {
    return this.timers.length;
  }

  private nextDue(): number | null {
    return this.timers.reduce<number | null>((min, x) => (min === null || x.due < min ? x.due : min), null);
  }

  private fireUntil(until: number): void {
    for (;;) {
      const due = this.timers.filter((x) => x.due <= until).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.due);
      due.fn();
    }
    this.t = Math.max(this.t, until);
  }
}
