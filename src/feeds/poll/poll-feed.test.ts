import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/helpers/test-clock.ts';
import type { CrmSource } from '../../ports/crm-source.ts';
import { silentLogger } from '../../ports/logger.ts';
import { advance, PollFeed, pollInterval } from './poll-feed.ts';

const change = (id: string, at: string, deleted = false) => ({ id, systemModstamp: at, deleted });
const T = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();

describe('poll watermark', () => {
  it('moves to the newest change and keeps what it saw inside the overlap window', () => {
    const out = advance({ watermark: T(0), seen: [] }, [change('a', T(5)), change('b', T(20))], 10_000);
    expect(out.fresh.map((c) => c.id)).toEqual(['a', 'b']);
    expect(out.watermark).toEqual({ watermark: T(20), seen: [`b@${T(20)}`] });
  });

  it('re-reading the overlap marks nothing twice, but a record changed again is new', () => {
    const first = advance({ watermark: T(0), seen: [] }, [change('a', T(15)), change('b', T(20))], 10_000);
    const again = advance(
      first.watermark,
      [change('a', T(15)), change('b', T(20)), change('b', T(21))],
      10_000,
    );
    expect(again.fresh).toEqual([change('b', T(21))]);
    expect(again.watermark.watermark).toBe(T(21));
  });

  it('a late commit with an older SystemModstamp inside the overlap is still caught', () => {
    const first = advance({ watermark: T(0), seen: [] }, [change('a', T(30))], 10_000);
    const late = advance(first.watermark, [change('z', T(25), true), change('a', T(30))], 10_000);
    expect(late.fresh).toEqual([change('z', T(25), true)]);
  });

  it('keeps the watermark when nothing changed', () => {
    const out = advance({ watermark: T(40), seen: ['x@' + T(39)] }, [], 10_000);
    expect(out.fresh).toEqual([]);
    expect(out.watermark).toEqual({ watermark: T(40), seen: ['x@' + T(39)] });
  });
});

describe('poll interval', () => {
  it.each([
    [null, 60_000],
    [{ used: 10_000, max: 100_000 }, 60_000],
    [{ used: 80_000, max: 100_000 }, 60_000],
    [{ used: 80_001, max: 100_000 }, 240_000],
    [{ used: 5, max: 0 }, 60_000],
  ])('with API usage %j polls every %i ms', (usage, expected) => {
    expect(pollInterval(60_000, usage, 0.8)).toBe(expected);
  });
});

describe('PollFeed', () => {
  it('a failed first poll does not move where polling begins: a change made meanwhile is still found', async () => {
    const clock = new TestClock('2026-11-25T10:00:00Z');
    const asked: string[] = [];
    let failing = true;
    const crm: CrmSource = {
      fetchContacts: async () => [],
      changedSince: async (object, since) => {
        asked.push(`${object}>=${since}`);
        if (failing) throw new Error('Salesforce is down');
        return object === 'Contact' ? [change('003A', '2026-11-25T10:00:30.000Z')] : [];
      },
      apiUsage: () => null,
      checkAccess: async () => [],
    };
    const feed = new PollFeed({
      crm,
      clock,
      intervalMs: 60_000,
      overlapMs: 0,
      slowDownAbove: 0.8,
      log: silentLogger,
    });
    const delivered: string[] = [];
    await feed.start(async (d) => {
      delivered.push(...d.keys.map((k) => k.id));
      return { duplicates: [] };
    }, null);
    await clock.tick(0);
    await feed.inFlight?.();
    expect(feed.health().consecutiveFailures).toBe(1);
    failing = false;
    await clock.tick(60_000);
    await feed.inFlight?.();
    expect(asked.at(-1)).toBe('Contact>=2026-11-25T10:00:00.000Z');
    expect(delivered).toEqual(['003A']);
    await feed.stop();
  });
});
