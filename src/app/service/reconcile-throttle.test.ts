// The feed-trouble limit in virtual time: one reconciliation per interval, nothing asked for is lost.
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/helpers/test-clock.ts';
import { ReconcileThrottle } from './reconcile-throttle.ts';

const MIN = 60_000;

function harness(opts: { intervalMs?: number; refuse?: number } = {}) {
  const clock = new TestClock('2026-03-02T09:00:00Z');
  const t0 = clock.now().getTime();
  const started: { at: number; reason: string }[] = [];
  let refuse = opts.refuse ?? 0;
  const throttle = new ReconcileThrottle({
    clock,
    intervalMs: opts.intervalMs ?? 15 * MIN,
    retryMs: MIN,
    start: (reason) => {
      if (refuse > 0) {
        refuse -= 1;
        return false;
      }
      started.push({ at: (clock.now().getTime() - t0) / MIN, reason });
      return true;
    },
  });
  const at = (minutes: number) => new Date(t0 + minutes * MIN);
  return { clock, throttle, started, at };
}

describe('ReconcileThrottle', () => {
  it('starts the first request at once and holds the rest of the interval to one merged reconciliation', async () => {
    const { clock, throttle, started, at } = harness();
    expect(throttle.request('cdc: Account')).toEqual({ outcome: 'started' });
    await clock.tick(MIN);
    expect(throttle.request('cdc: Account')).toEqual({ outcome: 'deferred', until: at(15) });
    for (let i = 0; i < 20; i++) throttle.request('cdc: Account');
    expect(throttle.request('cdc: Contact')).toEqual({ outcome: 'merged', until: at(15) });
    expect(throttle.deferredUntil).toEqual(at(15));
    await clock.tick(14 * MIN - 1);
    expect(started).toHaveLength(1);
    await clock.tick(1);
    expect(started).toEqual([
      { at: 0, reason: 'cdc: Account' },
      { at: 15, reason: 'cdc: Account (×21); cdc: Contact' },
    ]);
    expect(throttle.deferredUntil).toBeNull();
    // The deferred one opened a new interval.
    await clock.tick(5 * MIN);
    expect(throttle.request('cdc: Account')).toEqual({ outcome: 'deferred', until: at(30) });
    await clock.tick(10 * MIN);
    expect(started.map((s) => s.at)).toEqual([0, 15, 30]);
  });

  it('starts at once again when the interval has passed quietly', async () => {
    const { clock, throttle, started } = harness();
    throttle.request('overflow');
    await clock.tick(40 * MIN);
    expect(throttle.request('expired replay id')).toEqual({ outcome: 'started' });
    expect(started.map((s) => s.at)).toEqual([0, 40]);
  });

  it('lets a reconciliation that starts after the requests cover them', async () => {
    const { clock, throttle, started } = harness();
    throttle.request('overflow');
    throttle.request('overflow');
    throttle.covered(); // e.g. the nightly schedule or an admin starts one now
    expect(throttle.deferredUntil).toBeNull();
    await clock.tick(60 * MIN);
    expect(started.map((s) => s.at)).toEqual([0]);
  });

  it('tries again while a reconciliation that began before the trouble is still running', async () => {
    const { clock, throttle, started, at } = harness({ refuse: 2 });
    expect(throttle.request('overflow')).toEqual({ outcome: 'deferred', until: at(1) });
    await clock.tick(MIN);
    expect(started).toHaveLength(0);
    expect(throttle.deferredUntil).toEqual(at(2));
    await clock.tick(MIN);
    expect(started).toEqual([{ at: 2, reason: 'overflow' }]);
  });

  it('limits nothing with an interval of 0', async () => {
    const { throttle, started } = harness({ intervalMs: 0 });
    for (let i = 0; i < 3; i++) expect(throttle.request('overflow')).toEqual({ outcome: 'started' });
    expect(started).toHaveLength(3);
  });

  it('forgets a pending request on stop (the next start-up reconciliation covers it)', async () => {
    const { clock, throttle, started } = harness();
    throttle.request('overflow');
    throttle.request('overflow');
    throttle.stop();
    await clock.tick(60 * MIN);
    expect(started).toHaveLength(1);
  });
});
