import { describe, expect, it } from 'vitest';
import type { MetricName } from '../../ports/telemetry.ts';
import { METRIC_SPECS, PromTelemetry } from './prom-telemetry.ts';

describe('PromTelemetry', () => {
  it('exposes every metric of the port, with HELP and TYPE', async () => {
    const text = await new PromTelemetry({ defaultMetrics: false }).metricsText();
    for (const [name, spec] of Object.entries(METRIC_SPECS)) {
      expect(text).toContain(`# TYPE ${name} ${spec.kind}`);
    }
  });

  it('records counters, gauges and histograms with their labels', async () => {
    const t = new PromTelemetry({ defaultMetrics: false });
    t.count('roster_docebo_calls_total', { call: 'batch-import', outcome: 'ok' });
    t.count('roster_docebo_calls_total', { call: 'batch-import', outcome: 'ok' }, 2);
    t.gauge('roster_docebo_budget_remaining', 950);
    t.gauge('roster_salesforce_api_usage_ratio', 0.25);
    t.observe('roster_job_duration_seconds', 0.3, { kind: 'account', outcome: 'applied' });
    const text = await t.metricsText();
    expect(text).toContain('roster_docebo_calls_total{call="batch-import",outcome="ok"} 3');
    expect(text).toContain('roster_docebo_budget_remaining 950');
    expect(text).toContain('roster_salesforce_api_usage_ratio 0.25');
    expect(text).toContain(
      'roster_job_duration_seconds_bucket{le="0.25",kind="account",outcome="applied"} 0',
    );
    expect(text).toContain('roster_job_duration_seconds_bucket{le="0.5",kind="account",outcome="applied"} 1');
    expect(text).toContain('roster_job_duration_seconds_bucket{le="60",kind="account",outcome="applied"} 1');
  });

  it('never throws on misuse: wrong method, undeclared label, negative or NaN values', async () => {
    const misuse: string[] = [];
    const t = new PromTelemetry({ defaultMetrics: false, onMisuse: (m) => misuse.push(m) });
    const cases: [string, () => void][] = [
      ['count on a gauge', () => t.count('roster_queue_depth')],
      ['gauge on a counter', () => t.gauge('roster_changes_total', 1)],
      ['observe on a gauge', () => t.observe('roster_feed_lag_seconds', 1)],
      ['undeclared label', () => t.count('roster_feed_events_total', { feed: 'cdc', contact: '003…' })],
      [
        'negative increment',
        () => t.count('roster_changes_total', { kind: 'expire', outcome: 'applied' }, -1),
      ],
      ['NaN gauge', () => t.gauge('roster_feed_lag_seconds', Number.NaN, { feed: 'poll' })],
      ['unknown name', () => t.count('nope' as MetricName)],
    ];
    for (const [, call] of cases) expect(call).not.toThrow();
    expect(misuse).toHaveLength(5);
    const text = await t.metricsText();
    expect(text).toContain('roster_feed_events_total{feed="cdc"} 1');
    expect(text).not.toContain('contact=');
  });

  it('has its own registry: two instances do not collide', async () => {
    const a = new PromTelemetry();
    const b = new PromTelemetry();
    a.count('roster_feed_events_total', { feed: 'poll' });
    expect(await b.metricsText()).not.toContain('roster_feed_events_total{feed="poll"}');
    expect(a.contentType).toMatch(/^text\/plain/);
    expect(await a.metricsText()).toContain('process_resident_memory_bytes');
  });
});
