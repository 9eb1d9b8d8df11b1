/** Tells a person when Roster cannot do its job (and when it recovers). Never throws. */
export type AlertKind =
  | 'feed-stalled'
  | 'feed-recovered'
  | 'feed-failing'
  | 'dead-letter'
  | 'apply-failures'
  | 'reconcile-failed'
  | 'held-for-approval'
  | 'source-blocked'
  | 'drift'
  | 'feed-undecodable';

export interface Alert {
  kind: AlertKind;
  severity: 'critical' | 'warning' | 'info';
  /** One line a person reads in Slack. */
  summary: string;
  details: Record<string, unknown>;
  at: string;
}

export interface Alerter {
  send(alert: Alert): Promise<void>;
}
