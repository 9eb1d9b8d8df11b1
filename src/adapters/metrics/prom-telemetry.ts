// The Telemetry port on prom-client, served as GET /metrics. Each instance owns its Registry (not
// prom-client's global one) so that tests and a second service in one process never collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricName, Telemetry } from '../../ports/telemetry.ts';

type Kind = 'counter' | 'gauge' | 'histogram';

interface MetricSpec {
  kind: Kind;
  help: string;
  /** The only label names the metric accepts; others are dropped (prom-client would throw on them). */
  labels: readonly string[];
}

// Seconds: from a fast feed round trip (50 ms) to a slow cascade or a 429 back-off (a minute).
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

/**
 * One entry per MetricName of the port. Label names:
 * - `feed`: poll | cdc | outbound (reconcile for latency measured from a reconciliation)
 * - `status`: queued | ready | running | dead (queue depth by job state)
 * - `call`: the Docebo call, e.g. batch-import, change-status, list-users
 * - `outcome`: ok | failed | rate-limited (calls), applied | failed (changes, jobs)
 * - `kind`: deactivate | expire | reactivate (changes); contact | account (jobs)
 */
export const METRIC_SPECS: Record<MetricName, MetricSpec> = {
  roster_feed_events_total: {
    kind: 'counter',
    help: 'Change signals received from a feed (before de-duplication).',
    labels: ['feed'],
  },
  roster_feed_lag_seconds: {
    kind: 'gauge',
    help: 'How far behind Salesforce a feed is, when it can tell.',
    labels: ['feed'],
  },
  roster_queue_depth: { kind: 'gauge', help: 'Jobs in the work queue by status.', labels: ['status'] },
  roster_docebo_calls_total: {
    kind: 'counter',
    help: 'Docebo API calls made, by call and outcome.',
    labels: ['call', 'outcome'],
  },
  roster_active: {
    kind: 'gauge',
    help: '1 on the instance that holds the writer lease (runs the feeds, the worker and the schedule), 0 on a standby.',
    labels: [],
  },
  roster_docebo_budget_remaining: {
    kind: 'gauge',
    help: 'Docebo calls left in the current hourly budget window.',
    labels: [],
  },
  roster_salesforce_api_usage_ratio: {
    kind: 'gauge',
    help: "Share of the org's daily API requests used (Sforce-Limit-Info), 0..1.",
    labels: [],
  },
  roster_changes_total: {
    kind: 'counter',
    help: 'Docebo changes Roster applied or failed to apply.',
    labels: ['kind', 'outcome'],
  },
  roster_job_duration_seconds: {
    kind: 'histogram',
    help: 'Time to process one claimed batch of queue jobs.',
    labels: ['kind', 'outcome'],
  },
  roster_change_latency_seconds: {
    kind: 'histogram',
    help: 'From the Salesforce change (or its first sighting) to the Docebo write.',
    labels: ['feed'],
  },
  roster_cdc_undecodable_events_total: {
    kind: 'counter',
    help: 'Change events the CDC feed received but could not decode (each asks for a full resync).',
    labels: [],
  },
  roster_restores_not_taken_total: {
    kind: 'counter',
    help: 'Restores Docebo reported done that the next listing shows did not take (still inactive or expiring).',
    labels: [],
  },
};

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

export interface PromTelemetryOptions {
  /** Process metrics (CPU, memory, event loop lag); on by default. */
  defaultMetrics?: boolean;
  /** A caller used a metric the wrong way (e.g. count() on a gauge); telemetry itself never throws. */
  onMisuse?: (message: string) => void;
}

export class PromTelemetry implements Telemetry {
  readonly registry = new Registry();
  private readonly metrics = new Map<MetricName, AnyMetric>();
  private readonly onMisuse: (message: string) => void;

  constructor(opts: PromTelemetryOptions = {}) {
    this.onMisuse = opts.onMisuse ?? (() => undefined);
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    for (const [name, spec] of Object.entries(METRIC_SPECS) as [MetricName, MetricSpec][]) {
      const config = { name, help: spec.help, labelNames: spec.labels, registers: [this.registry] };
      const metric =
        spec.kind === 'counter'
          ? new Counter(config)
          : spec.kind === 'gauge'
            ? new Gauge(config)
            : new Histogram({ ...config, buckets: LATENCY_BUCKETS });
      this.metrics.set(name, metric);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  count(name: MetricName, labels?: Record<string, string>, by = 1): void {
    const metric = this.metric(name, 'counter', 'count');
    // prom-client throws on a negative increment; a counter only goes up.
    if (metric instanceof Counter && Number.isFinite(by) && by >= 0)
      metric.inc(this.labels(name, labels), by);
  }

  gauge(name: MetricName, value: number, labels?: Record<string, string>): void {
    const metric = this.metric(name, 'gauge', 'gauge');
    if (metric instanceof Gauge && Number.isFinite(value)) metric.set(this.labels(name, labels), value);
  }

  observe(name: MetricName, seconds: number, labels?: Record<string, string>): void {
    const metric = this.metric(name, 'histogram', 'observe');
    if (metric instanceof Histogram && Number.isFinite(seconds)) {
      metric.observe(this.labels(name, labels), Math.max(0, seconds));
    }
  }

  private metric(name: MetricName, kind: Kind, method: string): AnyMetric | undefined {
    const spec = METRIC_SPECS[name];
    if (spec?.kind !== kind) {
      this.onMisuse(`${method}() on ${name}, which is a ${spec?.kind ?? 'unknown metric'}`);
      return undefined;
    }
    return this.metrics.get(name);
  }

  private labels(name: MetricName, given: Record<string, string> = {}): Record<string, string> {
    const allowed = METRIC_SPECS[name].labels;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) {
      if (allowed.includes(key)) out[key] = value;
      else this.onMisuse(`label ${key} is not declared for ${name}`);
    }
    return out;
  }
}
