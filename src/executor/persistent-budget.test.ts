// The persistent budget in virtual time against an in-memory call log: what the store remembers counts,
// new calls are recorded in groups and on the timer, and a store that fails never fails a Docebo call.
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../test/helpers/test-clock.ts';
import type { CallLog } from '../ports/call-log.ts';
import { persistentBudget } from './persistent-budget.ts';

class MemoryCallLog implements CallLog {
  readonly recorded: string[][] = [];
  failing = false;
  constructor(readonly past: string[] = []) {}
  async record(_target: 'docebo', at: string[]): Promise<void> {
    if (this.failing) throw new Error('disk full');
    this.recorded.push(at);
  }
  async recent(_target: 'docebo', since: string): Promise<string[]> {
    return this.past.filter((at) => at >= since);
  }
}

const START = '2025-06-01T09:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(START) - m * 60_000).toISOString();

describe('persistentBudget', () => {
  it('counts the calls other processes made in the last hour', async () => {
    const clock = new TestClock(START);
    const calls = new MemoryCallLog([minutesAgo(90), minutesAgo(30), minutesAgo(5)]);
    const { budget } = await persistentBudget({ callsPerHour: 10, calls, clock, flushEveryMs: null });
    expect(budget.remaining()).toBe(8);
  });

  it('records calls in groups of ten, the rest on flush, and tells onCall of each', async () => {
    const clock = new TestClock(START);
    const calls = new MemoryCallLog();
    let seen = 0;
    const spend = await persistentBudget({
      callsPerHour: 100,
      calls,
      clock,
      flushEveryMs: null,
      onCall: () => void (seen += 1),
    });
    for (let i = 0; i < 13; i++) await spend.budget.acquire();
    await spend.flush();
    expect(seen).toBe(13);
    expect(calls.recorded.map((g) => g.length)).toEqual([10, 3]);
    expect(calls.recorded.flat().every((at) => at === START)).toBe(true);
  });

  it('writes what waits on its timer, and stops the timer on close', async () => {
    const clock = new TestClock(START);
    const calls = new MemoryCallLog();
    const spend = await persistentBudget({ callsPerHour: 100, calls, clock, flushEveryMs: 5000 });
    await spend.budget.acquire();
    await clock.tick(4999);
    expect(calls.recorded).toEqual([]);
    await clock.tick(1);
    expect(calls.recorded).toEqual([[START]]);
    await spend.close();
    expect(clock.pending()).toBe(0);
  });

  it('reports a failed write and carries on: the call itself was made', async () => {
    const clock = new TestClock(START);
    const calls = new MemoryCallLog();
    calls.failing = true;
    const errors: unknown[] = [];
    const spend = await persistentBudget({
      callsPerHour: 100,
      calls,
      clock,
      flushEveryMs: null,
      onError: (e) => errors.push(e),
    });
    await spend.budget.acquire();
    await expect(spend.flush()).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('disk full')]);
    calls.failing = false;
    await spend.budget.acquire();
    await spend.close();
    expect(calls.recorded).toEqual([[START]]);
  });
});
