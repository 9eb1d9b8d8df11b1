/**
 * Counters, gauges and timings the service exposes on /metrics. The core reports through this port;
 * the Prometheus client stays in adapters.
 */
export type MetricName =
  | 'roster_feed_events_total'
  | 'roster_feed_lag_seconds'
  | 'roster_queue_depth'
  | 'roster_docebo_calls_total'
  | 'roster_docebo_budget_remaining'
  | 'roster_salesforce_api_usage_ratio'
  | 'roster_changes_total'
  | 'roster_job_duration_seconds'
  | 'roster_change_latency_seconds'
  | 'roster_active'
  | 'roster_cdc_undecodable_events_total'
  | 'roster_restores_not_taken_total';

export interface Telemetry {
  count(name: MetricName, labels?: Record<string, string>, by?: number): void;
  gauge(name: MetricName, value: number, labels?: Record<string, string>): void;
  observe(name: MetricName, seconds: number, labels?: Record<string, string>): void;
}

export const noTelemetry: Telemetry = { count: () => {}, gauge: () => {}, observe: () => {} };
