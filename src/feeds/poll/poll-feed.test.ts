import { describe, expect, it } from 'vitest';
import { advance, pollInterval } from './poll-feed.ts';

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
