// Change events a feed received but could not decode: counted on /metrics, and told to a person once
// while it lasts. It lasts while such events keep coming; it has cleared once `clearAfterMs` passed
// without one, and only a new event after that alerts again. Each such event also asks for a full resync,
// which the ReconcileThrottle limits; the alert says so, because until someone fixes the cause Roster
// sees those changes only through throttled full reconciliations.
import type { Alert, Alerter } from '../../ports/alerter.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Telemetry } from '../../ports/telemetry.ts';

export interface UndecodableEventsOptions {
  clock: Clock;
  telemetry: Telemetry;
  alerter: Alerter;
  /** Quiet this long and the trouble has cleared (the feed-trouble interval). */
  clearAfterMs: number;
}

export class UndecodableEvents {
  private lastAt: number | null = null;

  constructor(private readonly opts: UndecodableEventsOptions) {}

  /** `count` events from `feed` could not be decoded; the alert, when one is due, is sent in the background. */
  record(feed: string, count: number): void {
    if (count <= 0) return;
    const { clock, telemetry, alerter, clearAfterMs } = this.opts;
    telemetry.count('roster_cdc_undecodable_events_total', {}, count);
    const now = clock.now().getTime();
    const alreadyKnown = this.lastAt !== null && now - this.lastAt < clearAfterMs;
    this.lastAt = now;
    if (alreadyKnown) return;
    // Never holds up the feed's delivery: a slow webhook must not stall the stream.
    void alerter.send(undecodableAlert(feed, count, clearAfterMs, clock.now())).catch(() => undefined);
  }
}

function undecodableAlert(feed: string, count: number, intervalMs: number, at: Date): Alert {
  const limit = intervalMs > 0 ? `at most one per ${Math.round(intervalMs / 60_000)} min` : 'unlimited';
  return {
    kind: 'feed-undecodable',
    severity: 'critical',
    summary:
      `Feed ${feed} received ${count} change event(s) it cannot decode; their changes reach Docebo only ` +
      `through full reconciliations (${limit}) until the cause is fixed`,
    details: {
      feed,
      undecodable: count,
      feedTroubleIntervalMs: intervalMs,
      metric: 'roster_cdc_undecodable_events_total',
      next: 'the CDC feed log line "Undecodable change event(s)" names the events, schema and error',
    },
    at: at.toISOString(),
  };
}
