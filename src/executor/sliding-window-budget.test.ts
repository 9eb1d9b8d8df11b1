import { describe, expect, it } from 'vitest';
import { TestClock } from '../../test/helpers/test-clock.ts';
import { SlidingWindowBudget } from './sliding-window-budget.ts';

const HOUR = 3_600_000;

/** True when no closed 3600 s window holds more than `limit` of the given instants. */
function withinLimit(times: number[], limit: number): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 0; i + limit < sorted.length; i++) {
    if ((sorted[i + limit] as number) - (sorted[i] as number) <= HOUR) return false;
  }
  return true;
}

describe('SlidingWindowBudget', () => {
  it('lets the first callsPerHour calls through without waiting', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 5, clock });
    for (let i = 0; i < 5; i++) await budget.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(budget.remaining()).toBe(0);
    expect(budget.spent()).toBe(5);
  });

  it('waits until the oldest call leaves the trailing hour', async () => {
    const clock = new TestClock();
    const start = clock.now().getTime();
    const budget = new SlidingWindowBudget({ callsPerHour: 3, clock });
    await budget.acquire();
    clock.advance(10 * 60_000);
    await budget.acquire();
    await budget.acquire();
    await budget.acquire();
    expect(clock.now().getTime() - start).toBeGreaterThan(HOUR);
    expect(clock.now().getTime() - start).toBeLessThanOrEqual(HOUR + 1);
    expect(budget.spent()).toBe(4);
  });

  it('never exceeds callsPerHour in any 3600 s window, even with concurrent callers', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 7, clock });
    const times: number[] = [];
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await budget.acquire();
        times.push(clock.now().getTime());
        clock.advance(Math.floor(Math.random() * 120_000));
      }
    };
    await Promise.all([worker(12), worker(9), worker(10)]);
    expect(times).toHaveLength(31);
    expect(withinLimit(times, 7)).toBe(true);
    expect(budget.spent()).toBe(31);
  });

  it('recovers remaining() as calls age out', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 2, clock });
    await budget.acquire();
    await budget.acquire();
    expect(budget.remaining()).toBe(0);
    clock.advance(HOUR + 1);
    expect(budget.remaining()).toBe(2);
  });

  it('treats 0 as unlimited', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 0, clock });
    for (let i = 0; i < 50; i++) await budget.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(budget.remaining()).toBe(Number.POSITIVE_INFINITY);
    expect(budget.spent()).toBe(50);
  });
});

describe('SlidingWindowBudget lanes and restarts', () => {
  it('serves urgent callers before normal ones while everyone waits for the window', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 2, clock });
    await budget.acquire();
    await budget.acquire();
    const order: string[] = [];
    const calls = [
      budget.acquire('normal').then(() => order.push('normal-1')),
      budget.acquire('normal').then(() => order.push('normal-2')),
      budget.acquire('urgent').then(() => order.push('urgent')),
    ];
    await Promise.all(calls);
    expect(order[0]).toBe('urgent');
  });

  it('keeps a reserve free of background work', async () => {
    const clock = new TestClock();
    const budget = new SlidingWindowBudget({ callsPerHour: 10, clock, backgroundReserve: 0.3 });
    for (let i = 0; i < 7; i++) await budget.acquire('background');
    expect(clock.sleeps).toEqual([]);
    const start = clock.now().getTime();
    await budget.acquire('urgent'); // the reserve is there for urgent work…
    expect(clock.now().getTime()).toBe(start);
    await budget.acquire('background'); // …but background work waits for the window
    expect(clock.now().getTime() - start).toBeGreaterThan(HOUR);
  });

  it('counts calls made before a restart', async () => {
    const clock = new TestClock();
    const now = clock.now().getTime();
    const recorded: number[] = [];
    const budget = new SlidingWindowBudget({
      callsPerHour: 3,
      clock,
      pastCalls: [now - 10_000, now - 5_000, now - 2 * HOUR],
      onCall: (at) => recorded.push(at),
    });
    expect(budget.remaining()).toBe(1);
    await budget.acquire();
    expect(recorded).toEqual([now]);
    await budget.acquire();
    expect(clock.now().getTime() - now).toBeGreaterThan(HOUR - 10_000);
  });
});
