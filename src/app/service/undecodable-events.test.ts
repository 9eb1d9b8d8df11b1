// Undecodable change events: every one counted, one alert while they keep coming, another only after a
// quiet spell.
import { describe, expect, it } from 'vitest';
import { settle, TestClock } from '../../../test/helpers/test-clock.ts';
import type { Alert } from '../../ports/alerter.ts';
import type { MetricName } from '../../ports/telemetry.ts';
import { UndecodableEvents } from './undecodable-events.ts';

const MIN = 60_000;

function harness(opts: { failingAlerter?: boolean } = {}) {
  const clock = new TestClock('2026-03-02T09:00:00Z');
  const alerts: Alert[] = [];
  const counts: { name: MetricName; by: number }[] = [];
  const events = new UndecodableEvents({
    clock,
    clearAfterMs: 15 * MIN,
    telemetry: { count: (name, _l, by = 1) => counts.push({ name, by }), gauge: () => {}, observe: () => {} },
    alerter: {
      send: async (a) => {
        alerts.push(a);
        if (opts.failingAlerter) throw new Error('webhook down');
      },
    },
  });
  const total = () => counts.reduce((n, c) => n + c.by, 0);
  return { clock, alerts, counts, events, total };
}

describe('UndecodableEvents', () => {
  it('counts every event and alerts once while they keep coming', async () => {
    const { clock, alerts, counts, events, total } = harness();
    events.record('cdc', 3);
    for (let i = 0; i < 20; i++) {
      await clock.tick(10 * MIN); // never 15 min quiet
      events.record('cdc', 2);
    }
    await settle();
    expect(total()).toBe(43);
    expect(new Set(counts.map((c) => c.name))).toEqual(new Set(['roster_cdc_undecodable_events_total']));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'feed-undecodable',
      severity: 'critical',
      details: { feed: 'cdc', undecodable: 3, feedTroubleIntervalMs: 15 * MIN },
    });
    expect(alerts[0]?.summary).toMatch(/3 change event\(s\) it cannot decode.*at most one per 15 min/);
  });

  it('alerts again only after a quiet spell as long as the interval', async () => {
    const { clock, alerts, events } = harness();
    events.record('cdc', 1);
    await clock.tick(15 * MIN - 1);
    events.record('cdc', 1);
    await clock.tick(15 * MIN);
    events.record('cdc', 1);
    await settle();
    expect(alerts.map((a) => a.at)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:29:59.999Z']);
  });

  it('ignores nothing-to-report and survives a failing webhook', async () => {
    const { alerts, events, total } = harness({ failingAlerter: true });
    events.record('cdc', 0);
    expect(total()).toBe(0);
    events.record('cdc', 1);
    await settle();
    expect(alerts).toHaveLength(1);
  });
});
