// A virtual clock: sleep() moves time forward at once, so rate limits and backoff run instantly in tests.
import type { Clock } from '../../src/ports/clock.ts';

export class FakeClock implements Clock {
  private t: number;
  readonly sleeps: number[] = [];

  constructor(start: string | Date = '2025-06-01T09:00:00Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
    // Let other tasks run, as a real timer would.
    await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
