// Decides whether the service is ready and when to tell a person: "never silently stop" (issue 3 §5).
// evaluate() is pure apart from remembering the previous verdicts, so that an alert fires once when a
// thing goes bad and once when it recovers, not on every tick.
import type { Alert, Alerter } from '../../ports/alerter.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FeedHealth, FeedName } from '../../domain/work.ts';

export interface WatchedFeed {
  health: FeedHealth;
  enabled: boolean;
  /**
   * How often the feed proves alive (poll interval, CDC keep-alive). Null for a feed that only speaks
   * when Salesforce has something to say (outbound messages): silence there is not a stall.
   */
  intervalMs: number | null;
  /** Defaults to 3 × intervalMs: one late heartbeat is jitter, three is a stall. */
  stallAfterMs?: number;
}

export interface HealthInputs {
  storeReachable: boolean;
  feeds: WatchedFeed[];
  salesforceLastOkAt: string | null;
  doceboLastOkAt: string | null;
  /** Dead letters now in the queue. */
  deadLetters: number;
  /** A standby runs no feeds and calls neither system: only the store matters. */
  standby?: boolean;
  consecutiveApplyFailures: number;
}

export interface HealthEvaluation {
  ready: boolean;
  problems: string[];
  /** Alerts for what changed since the previous evaluation. */
  transitions: Alert[];
}

export interface HealthMonitorOptions {
  startedAt: Date;
  /** Salesforce and Docebo must have answered within this long; default 15 min. */
  maxSilenceMs?: number;
  /** A system never contacted yet is not a problem during this long after start; default 5 min. */
  startupGraceMs?: number;
  /** Consecutive failures after which a feed is failing; default 3. */
  feedFailAfter?: number;
  /** Consecutive failed apply batches that make the service unready; default 3. */
  applyFailAfter?: number;
}

type FeedVerdict = 'ok' | 'stalled' | 'failing';

const MINUTE = 60_000;

export class HealthMonitor {
  private readonly startedAt: number;
  private readonly maxSilenceMs: number;
  private readonly startupGraceMs: number;
  private readonly feedFailAfter: number;
  private readonly applyFailAfter: number;
  private readonly feedVerdicts = new Map<FeedName, FeedVerdict>();
  private applyFailing = false;
  // Dead letters already in the store when the service starts were alerted by the previous process.
  private deadSeen: number | null = null;

  constructor(opts: HealthMonitorOptions) {
    this.startedAt = opts.startedAt.getTime();
    this.maxSilenceMs = opts.maxSilenceMs ?? 15 * MINUTE;
    this.startupGraceMs = opts.startupGraceMs ?? 5 * MINUTE;
    this.feedFailAfter = opts.feedFailAfter ?? 3;
    this.applyFailAfter = opts.applyFailAfter ?? 3;
  }

  evaluate(now: Date, inputs: HealthInputs): HealthEvaluation {
    const at = now.toISOString();
    const problems: string[] = [];
    const transitions: Alert[] = [];

    if (!inputs.storeReachable) problems.push('store unreachable');

    for (const watched of inputs.feeds) {
      const { feed } = watched.health;
      if (!watched.enabled || watched.health.state === 'stopped') {
        this.feedVerdicts.delete(feed);
        continue;
      }
      const verdict = this.feedVerdict(now.getTime(), watched);
      const previous = this.feedVerdicts.get(feed) ?? 'ok';
      this.feedVerdicts.set(feed, verdict);
      if (verdict !== 'ok') problems.push(describeFeed(watched, verdict, now.getTime()));
      if (verdict !== previous) transitions.push(feedAlert(watched, verdict, previous, at));
    }

    for (const [name, lastOkAt] of [
      ['Salesforce', inputs.salesforceLastOkAt],
      ['Docebo', inputs.doceboLastOkAt],
    ] as const) {
      const problem = inputs.standby ? null : this.silence(name, lastOkAt, now.getTime());
      if (problem) problems.push(problem);
    }

    const applyFailing = inputs.consecutiveApplyFailures >= this.applyFailAfter;
    if (applyFailing) problems.push(`${inputs.consecutiveApplyFailures} apply batches failed in a row`);
    if (applyFailing !== this.applyFailing) {
      transitions.push(applyAlert(applyFailing, inputs.consecutiveApplyFailures, at));
      this.applyFailing = applyFailing;
    }

    // Dead letters stay a problem until someone retries them (`roster queue retry`): each one is a
    // change Roster gave up on, possibly a leaver who keeps access.
    if (inputs.deadLetters > 0) {
      problems.push(`${inputs.deadLetters} dead letter(s) in the queue; see roster queue, then retry`);
    }
    if (this.deadSeen !== null && inputs.deadLetters > this.deadSeen) {
      const added = inputs.deadLetters - this.deadSeen;
      transitions.push({
        kind: 'dead-letter',
        severity: 'critical',
        summary: `${added} job(s) moved to the dead-letter queue (${inputs.deadLetters} in total); see roster queue`,
        details: { added, total: inputs.deadLetters },
        at,
      });
    }
    this.deadSeen = inputs.deadLetters;

    return { ready: problems.length === 0, problems, transitions };
  }

  private feedVerdict(now: number, watched: WatchedFeed): FeedVerdict {
    const { health } = watched;
    if (health.state === 'failed' || health.consecutiveFailures >= this.feedFailAfter) return 'failing';
    const stallAfter = watched.stallAfterMs ?? (watched.intervalMs === null ? null : 3 * watched.intervalMs);
    if (stallAfter === null) return 'ok';
    // A feed that has not beaten yet is measured from the service's start.
    const since = health.lastHeartbeatAt === null ? this.startedAt : Date.parse(health.lastHeartbeatAt);
    return now - since > stallAfter ? 'stalled' : 'ok';
  }

  private silence(name: string, lastOkAt: string | null, now: number): string | null {
    if (lastOkAt === null) {
      return now - this.startedAt < this.startupGraceMs ? null : `${name} has not answered since the start`;
    }
    const silentMs = now - Date.parse(lastOkAt);
    return silentMs > this.maxSilenceMs ? `${name} has not answered for ${minutes(silentMs)}` : null;
  }
}

/** Evaluates on the injected clock and sends the transitions; never throws (alerting must not stop work). */
export async function checkHealth(
  monitor: HealthMonitor,
  clock: Clock,
  alerter: Alerter,
  inputs: HealthInputs,
): Promise<HealthEvaluation> {
  const evaluation = monitor.evaluate(clock.now(), inputs);
  for (const alert of evaluation.transitions) await alerter.send(alert).catch(() => undefined);
  return evaluation;
}

function describeFeed(watched: WatchedFeed, verdict: FeedVerdict, now: number): string {
  const { health } = watched;
  if (verdict === 'failing') {
    const why = health.error ? `: ${health.error}` : '';
    return `feed ${health.feed} failing (${health.consecutiveFailures} consecutive failures)${why}`;
  }
  return health.lastHeartbeatAt === null
    ? `feed ${health.feed} stalled: no heartbeat since the start`
    : `feed ${health.feed} stalled: no heartbeat for ${minutes(now - Date.parse(health.lastHeartbeatAt))}`;
}

function feedAlert(watched: WatchedFeed, verdict: FeedVerdict, previous: FeedVerdict, at: string): Alert {
  const { health } = watched;
  const details = {
    feed: health.feed,
    state: health.state,
    lastHeartbeatAt: health.lastHeartbeatAt,
    consecutiveFailures: health.consecutiveFailures,
    error: health.error,
  };
  if (verdict === 'ok') {
    return {
      kind: 'feed-recovered',
      severity: 'info',
      summary: `Feed ${health.feed} recovered (was ${previous})`,
      details: { ...details, previous },
      at,
    };
  }
  return {
    kind: verdict === 'stalled' ? 'feed-stalled' : 'feed-failing',
    severity: 'critical',
    summary:
      verdict === 'stalled'
        ? `Feed ${health.feed} stalled: no heartbeat since ${health.lastHeartbeatAt ?? 'the start'}`
        : `Feed ${health.feed} failing: ${health.consecutiveFailures} consecutive failures${health.error ? ` (${health.error})` : ''}`,
    details,
    at,
  };
}

function applyAlert(failing: boolean, failures: number, at: string): Alert {
  return failing
    ? {
        kind: 'apply-failures',
        severity: 'critical',
        summary: `${failures} Docebo apply batches failed in a row; changes are not reaching Docebo`,
        details: { consecutiveFailures: failures },
        at,
      }
    : {
        kind: 'apply-failures',
        severity: 'info',
        summary: 'Docebo apply batches succeed again',
        details: { consecutiveFailures: failures, recovered: true },
        at,
      };
}

function minutes(ms: number): string {
  return ms < MINUTE ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / MINUTE)} min`;
}
