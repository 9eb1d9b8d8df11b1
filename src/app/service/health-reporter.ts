// Keeps readiness, metrics and alerts current on a timer: "never silently stop". Each check reads the
// queue, the feeds, the budget and what the service last heard from Salesforce and Docebo, lets the
// HealthMonitor decide, and sends the alerts for what changed.
import type { ChangeFeed } from '../../ports/change-feed.ts';
import type { Alerter } from '../../ports/alerter.ts';
import type { Clock, Timer } from '../../ports/clock.ts';
import type { CrmSource } from '../../ports/crm-source.ts';
import type { Store } from '../../ports/store.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { checkHealth, type HealthMonitor } from './health-monitor.ts';
import type { ServiceActivity } from './service-activity.ts';

export interface ServiceFeed {
  feed: ChangeFeed;
  /** How often it proves alive; null for a feed that only speaks when Salesforce does. */
  intervalMs: number | null;
}

export interface BudgetView {
  callsPerHour: number;
  remaining(): number;
  spent(): number;
}

export interface HealthReporterOptions {
  clock: Clock;
  everyMs: number;
  /** A fresh monitor from this instant (the start, and again when a standby becomes active). */
  monitor: (since: Date) => HealthMonitor;
  /** A standby runs no feeds and calls neither system: only the store is checked. */
  standby: () => boolean;
  alerter: Alerter;
  telemetry: Telemetry;
  store: Pick<Store, 'queue'>;
  crm: Pick<CrmSource, 'apiUsage'>;
  feeds: ServiceFeed[];
  budget: BudgetView;
  activity: ServiceActivity;
}

export class HealthReporter {
  private timer: Timer | null = null;
  private stopped = true;
  private verdict: { ready: boolean; problems: string[] } = { ready: false, problems: ['starting'] };
  private monitor: HealthMonitor;

  constructor(private readonly opts: HealthReporterOptions) {
    this.monitor = opts.monitor(opts.clock.now());
  }

  /** Starts judging silence and stalls afresh (a standby that just became active). */
  restart(): void {
    this.monitor = this.opts.monitor(this.opts.clock.now());
  }

  /** Checks now, then every `everyMs`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.check();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  get last(): { ready: boolean; problems: string[] } {
    return this.verdict;
  }

  async check(): Promise<void> {
    this.timer?.cancel();
    try {
      await this.evaluate();
    } finally {
      if (!this.stopped) this.timer = this.opts.clock.setTimer(this.opts.everyMs, () => void this.check());
    }
  }

  private async evaluate(): Promise<void> {
    const { clock, telemetry, activity, budget } = this.opts;
    let storeReachable = true;
    let dead = 0;
    try {
      const stats = await this.opts.store.queue.stats(clock.now().toISOString());
      dead = stats.dead;
      telemetry.gauge('roster_queue_depth', stats.queued, { status: 'queued' });
      telemetry.gauge('roster_queue_depth', stats.running, { status: 'running' });
      telemetry.gauge('roster_queue_depth', stats.dead, { status: 'dead' });
    } catch {
      storeReachable = false;
    }
    const standby = this.opts.standby();
    const feeds = (standby ? [] : this.opts.feeds).map(({ feed, intervalMs }) => ({
      health: feed.health(),
      enabled: true,
      intervalMs,
    }));
    for (const { health } of feeds) {
      if (health.lagMs !== null)
        telemetry.gauge('roster_feed_lag_seconds', health.lagMs / 1000, { feed: health.feed });
      // A healthy Salesforce feed is proof that Salesforce answers.
      if (health.state === 'ok' && health.lastHeartbeatAt)
        activity.salesforceAnswered(health.lastHeartbeatAt);
    }
    if (Number.isFinite(budget.remaining()))
      telemetry.gauge('roster_docebo_budget_remaining', budget.remaining());
    const usage = this.opts.crm.apiUsage();
    if (usage && usage.max > 0) telemetry.gauge('roster_salesforce_api_usage_ratio', usage.used / usage.max);
    const evaluation = await checkHealth(this.monitor, clock, this.opts.alerter, {
      standby,
      storeReachable,
      feeds,
      salesforceLastOkAt: activity.salesforceLastOkAt,
      doceboLastOkAt: activity.doceboLastOkAt,
      deadLetters: dead,
      consecutiveApplyFailures: activity.consecutiveFailures,
    });
    this.verdict = { ready: evaluation.ready, problems: evaluation.problems };
  }
}
