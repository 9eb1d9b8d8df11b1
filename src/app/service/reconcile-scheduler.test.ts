// The reconcile schedule in virtual time: one timer at a time, a request when it fires, re-armed after.
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/helpers/test-clock.ts';
import type { Schedule } from '../../ports/schedule.ts';
import { ReconcileScheduler } from './reconcile-scheduler.ts';

const HOUR = 3_600_000;
/** Every hour on the hour (UTC), like the cron "0 * * * *". */
const hourly: Schedule = {
  description: 'hourly',
  next: (after) => new Date(Math.floor(after.getTime() / HOUR) * HOUR + HOUR),
};

describe('ReconcileScheduler', () => {
  it('asks for a reconciliation at each due time and says when the next one is', async () => {
    const clock = new TestClock('2025-06-01T09:20:00Z');
    const requests: string[] = [];
    const scheduler = new ReconcileScheduler({
      clock,
      schedule: hourly,
      request: (reason) => void requests.push(`${reason} at ${clock.now().toISOString()}`),
    });
    scheduler.start();
    expect(scheduler.nextAt?.toISOString()).toBe('2025-06-01T10:00:00.000Z');
    await clock.tick(40 * 60_000 - 1);
    expect(requests).toEqual([]);
    await clock.tick(1);
    await clock.tick(HOUR);
    expect(requests).toEqual([
      'schedule at 2025-06-01T10:00:00.000Z',
      'schedule at 2025-06-01T11:00:00.000Z',
    ]);
    expect(scheduler.nextAt?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(clock.pending()).toBe(1);
    scheduler.stop();
    expect(clock.pending()).toBe(0);
  });

  it('without a schedule arms nothing', () => {
    const clock = new TestClock();
    const scheduler = new ReconcileScheduler({ clock, schedule: null, request: () => undefined });
    scheduler.start();
    expect(scheduler.nextAt).toBeNull();
    expect(clock.pending()).toBe(0);
  });
});
