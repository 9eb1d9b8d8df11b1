// `roster serve`: feeds mark records dirty in the durable queue; one worker loop turns due jobs into
// targeted plans and applies them; a schedule (and the start, and a feed that lost track) triggers a
// full reconciliation through the same loop, so Docebo batches never run concurrently. A health
// check keeps readiness, metrics and alerts current: the service never stops silently.
import { errorData } from '../domain/errors.ts';
import type { FeedDelivery } from '../domain/work.ts';
import type { Alerter } from '../ports/alerter.ts';
import type { ChangeFeed } from '../ports/change-feed.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import { alertGuards } from './alert-guards.ts';
import { applyChanges } from './apply-changes.ts';
import { checkHealth, HealthMonitor } from './health-monitor.ts';
import { processDueJobs, type JobSettings } from './process-jobs.ts';
import { reportDrift } from './report-drift.ts';
import type { RosterContext } from './roster-context.ts';
import type { ServiceStatus } from './service-status.ts';

export interface ServiceLog {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

export interface ServiceFeed {
  feed: ChangeFeed;
  /** How often it proves alive; null for a feed that only speaks when Salesforce does. */
  intervalMs: number | null;
}

export interface RosterServiceDeps {
  ctx: RosterContext;
  /** Full reconciliations read Docebo in the budget's background lane, leaving room for leavers. */
  reconcileCtx?: RosterContext;
  feeds: ServiceFeed[];
  telemetry: Telemetry;
  alerter: Alerter;
  log: ServiceLog;
  jobs: JobSettings;
  /** Micro-batch window: after the first event of a quiet spell, wait this long for the rest. */
  windowMs: number;
  schedule: { next(after: Date): Date; description: string } | null;
  reconcileOnStart: boolean;
  budget: { callsPerHour: number; remaining(): number; spent(): number };
  /** How often an idle worker looks for due retries, and the health check runs. */
  idleMs?: number;
  /** serve.mode observe: journal decisions as `observed`, write nothing to Docebo. */
  observe?: boolean;
  healthEveryMs?: number;
}

export class RosterService {
  private readonly startedAt: Date;
  private readonly monitor: HealthMonitor;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private sleeper: (() => void) | null = null;
  private reconcileReason: string | null = null;
  private reconciling = false;
  private scheduleTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private nextReconcileAt: Date | null = null;
  private lastReconcile: ServiceStatus['reconcile']['lastRun'] = null;
  private salesforceLastOkAt: string | null = null;
  private doceboLastOkAt: string | null = null;
  private consecutiveFailures = 0;
  private lastStatus: { ready: boolean; problems: string[] } = { ready: false, problems: ['starting'] };
  private changes = { applied: 0, failed: 0 };

  constructor(private readonly deps: RosterServiceDeps) {
    this.startedAt = deps.ctx.clock.now();
    // Quiet periods need no Docebo call; the nightly reconciliation proves both systems answer.
    this.monitor = new HealthMonitor({ startedAt: this.startedAt, maxSilenceMs: 25 * 3_600_000 });
  }

  async start(): Promise<void> {
    const { store } = this.deps.ctx;
    // A starting service owns the queue (one `serve` per store): jobs still marked running belong to a
    // process that died, whatever their lease says.
    const released = await store.queue.releaseExpiredLeases('9999-12-31T23:59:59.999Z');
    const interrupted = await store.runs.markInterrupted();
    if (released + interrupted > 0)
      this.deps.log.warn('resuming after an unclean stop', {
        jobsReleased: released,
        runsInterrupted: interrupted,
      });
    for (const { feed } of this.deps.feeds) {
      await feed.start((d) => this.deliver(d), await store.queue.checkpoint(feed.name));
      this.deps.log.info('feed started', { feed: feed.name });
    }
    if (this.deps.reconcileOnStart) this.requestReconcile('start');
    this.scheduleNextReconcile();
    this.loop = this.runLoop();
    this.healthTimer = setInterval(() => void this.checkHealth(), this.deps.healthEveryMs ?? 5000);
    await this.checkHealth();
  }

  /** Stops taking work, lets the batch in flight finish (it is journaled), and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of [this.wakeTimer, this.scheduleTimer]) if (t) clearTimeout(t);
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const { feed } of this.deps.feeds) await feed.stop().catch(() => undefined);
    this.sleeper?.();
    await this.loop;
  }

  /** Feeds call this; it resolves once the keys are durably queued (then a feed may acknowledge). */
  async deliver(delivery: FeedDelivery): Promise<{ duplicates: string[] }> {
    const { store, clock } = this.deps.ctx;
    const out = await store.queue.enqueue(delivery, clock.now().toISOString());
    const feed = delivery.checkpoint?.feed ?? delivery.dedupe?.source ?? delivery.keys[0]?.source ?? 'admin';
    if (delivery.keys.length > 0) {
      this.deps.telemetry.count('roster_feed_events_total', { feed }, delivery.keys.length);
      this.wake(this.deps.windowMs);
    }
    if (delivery.resync?.length)
      this.requestReconcile(`${feed} asked for a full resync of ${delivery.resync.join(', ')}`);
    return { duplicates: out.duplicates };
  }

  requestReconcile(reason: string): { accepted: boolean; message: string } {
    if (this.reconcileReason !== null || this.reconciling)
      return { accepted: false, message: 'a reconciliation is already queued or running' };
    this.reconcileReason = reason;
    this.wake(0);
    return { accepted: true, message: `reconciliation queued (${reason})` };
  }

  async status(): Promise<ServiceStatus> {
    const { store, clock } = this.deps.ctx;
    const now = clock.now();
    return {
      startedAt: this.startedAt.toISOString(),
      now: now.toISOString(),
      ready: this.lastStatus.ready,
      problems: this.lastStatus.problems,
      feeds: this.deps.feeds.map(({ feed }) => feed.health()),
      queue: await store.queue.stats(now.toISOString()),
      budget: {
        callsPerHour: this.deps.budget.callsPerHour,
        remaining: finite(this.deps.budget.remaining()),
        spentSinceStart: this.deps.budget.spent(),
      },
      salesforce: { lastOkAt: this.salesforceLastOkAt, apiUsage: this.deps.ctx.crm.apiUsage() },
      docebo: { lastOkAt: this.doceboLastOkAt },
      reconcile: {
        lastRun: this.lastReconcile,
        nextAt: this.nextReconcileAt?.toISOString() ?? null,
        running: this.reconciling,
      },
      changes: { ...this.changes },
      held: (await store.approvals.listHeld({ status: 'held' })).length,
      mode: this.deps.observe ? 'observe' : 'enforce',
    };
  }

  private wake(afterMs: number): void {
    if (afterMs <= 0) {
      if (this.wakeTimer) clearTimeout(this.wakeTimer);
      this.wakeTimer = null;
      this.sleeper?.();
      return;
    }
    // The first event of a quiet spell opens the window; later ones ride along instead of extending it.
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.sleeper?.();
    }, afterMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.sleeper === done) this.sleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = done;
    });
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.reconcileReason !== null) {
        await this.reconcile(this.reconcileReason);
        continue;
      }
      let worked = false;
      // Jobs inside the micro-batch window wait for it to close, so a cascade goes out in full batches.
      if (this.wakeTimer === null) worked = await this.processJobs();
      if (!worked && !this.stopping) await this.sleep(this.deps.idleMs ?? 1000);
    }
  }

  private async processJobs(): Promise<boolean> {
    const { clock } = this.deps.ctx;
    try {
      const r = await processDueJobs(
        this.deps.ctx,
        { ...this.deps.jobs, observe: this.deps.observe ?? false },
        this.deps.telemetry,
      );
      if (r.jobs.length === 0) return false;
      const at = clock.now();
      this.salesforceLastOkAt = at.toISOString();
      if (r.result || r.plan) this.doceboLastOkAt = at.toISOString();
      this.recordResult(r.result);
      await alertGuards(this.deps.alerter, r.guard, clock.now().toISOString());
      await reportDrift(this.deps.ctx, this.deps.alerter, { planId: r.plan?.id ?? '', result: r.result });
      for (const j of r.jobs)
        this.deps.telemetry.observe(
          'roster_change_latency_seconds',
          (at.getTime() - Date.parse(j.firstQueuedAt)) / 1000,
          { feed: j.sources[0] ?? 'unknown' },
        );
      this.deps.log.info('jobs processed', {
        jobs: r.jobs.length,
        plan: r.plan?.id,
        changes: r.plan?.items.length ?? 0,
        run: r.result?.runId,
        applied: r.result?.applied ?? 0,
        failed: r.result?.failed ?? 0,
        jobsRetrying: r.failedJobs,
        held: r.guard.held.length,
        observed: r.result?.observed ?? 0,
      });
      return true;
    } catch (e) {
      const err = errorData(e);
      this.consecutiveFailures += 1;
      this.deps.log.warn('processing jobs failed; they are retried with backoff', {
        code: err.code,
        message: err.message,
      });
      return false;
    }
  }

  private recordResult(result: { applied: number; failed: number } | null): void {
    if (!result) return;
    this.changes.applied += result.applied;
    this.changes.failed += result.failed;
    this.deps.telemetry.count('roster_changes_total', { outcome: 'applied' }, result.applied);
    this.deps.telemetry.count('roster_changes_total', { outcome: 'failed' }, result.failed);
    this.consecutiveFailures = result.failed > 0 && result.applied === 0 ? this.consecutiveFailures + 1 : 0;
  }

  private async reconcile(reason: string): Promise<void> {
    const { ctx, log } = this.deps;
    this.reconcileReason = null;
    this.reconciling = true;
    const at = ctx.clock.now().toISOString();
    log.info('reconciliation started', { reason });
    try {
      // What Roster believed of Docebo before this listing tells drift apart from missed events.
      const believed = new Map((await ctx.store.users.list()).users.map((u) => [u.id, u]));
      const { plan, result, guard } = await applyChanges(this.deps.reconcileCtx ?? ctx, {
        confirm: async () => true,
        observe: this.deps.observe ?? false,
      });
      const driftInDocebo = plan.items.filter((i) => {
        const b = believed.get(i.userId);
        return (
          b !== undefined && (b.active !== i.before.active || b.expirationDate !== i.before.expirationDate)
        );
      }).length;
      const now = ctx.clock.now().toISOString();
      this.salesforceLastOkAt = now;
      this.doceboLastOkAt = now;
      this.recordResult(result);
      await alertGuards(this.deps.alerter, guard, now);
      await reportDrift(ctx, this.deps.alerter, { planId: plan.id, result });
      this.lastReconcile = {
        runId: result?.runId ?? null,
        at,
        status: result?.status ?? 'nothing-to-do',
        changes: plan.items.length,
        missedByFeeds: plan.items.length - driftInDocebo,
        driftInDocebo,
      };
      log.info('reconciliation finished', { plan: plan.id, run: result?.runId, ...this.lastReconcile });
    } catch (e) {
      const err = errorData(e);
      this.lastReconcile = {
        runId: null,
        at,
        status: 'failed',
        changes: 0,
        missedByFeeds: 0,
        driftInDocebo: 0,
      };
      log.error('reconciliation failed', { code: err.code, message: err.message });
      await this.deps.alerter
        .send({
          kind: 'reconcile-failed',
          severity: 'critical',
          summary: `Roster reconciliation failed: ${err.code}`,
          details: { reason, message: err.message },
          at: ctx.clock.now().toISOString(),
        })
        .catch(() => undefined);
    } finally {
      this.reconciling = false;
    }
  }

  private scheduleNextReconcile(): void {
    const schedule = this.deps.schedule;
    if (!schedule || this.stopping) return;
    const now = this.deps.ctx.clock.now();
    this.nextReconcileAt = schedule.next(now);
    // setTimeout holds at most ~24.8 days; re-arm in steps for anything later.
    const delay = Math.min(this.nextReconcileAt.getTime() - now.getTime(), 2 ** 31 - 1);
    this.scheduleTimer = setTimeout(
      () => {
        if (this.deps.ctx.clock.now() >= (this.nextReconcileAt ?? now)) this.requestReconcile('schedule');
        this.scheduleNextReconcile();
      },
      Math.max(0, delay),
    );
  }

  private async checkHealth(): Promise<void> {
    const { store, clock } = this.deps.ctx;
    let storeReachable = true;
    let dead = 0;
    try {
      const stats = await store.queue.stats(clock.now().toISOString());
      dead = stats.dead;
      this.deps.telemetry.gauge('roster_queue_depth', stats.queued, { status: 'queued' });
      this.deps.telemetry.gauge('roster_queue_depth', stats.running, { status: 'running' });
      this.deps.telemetry.gauge('roster_queue_depth', stats.dead, { status: 'dead' });
    } catch {
      storeReachable = false;
    }
    const feeds = this.deps.feeds.map(({ feed, intervalMs }) => ({
      health: feed.health(),
      enabled: true,
      intervalMs,
    }));
    for (const { health } of feeds)
      if (health.lagMs !== null)
        this.deps.telemetry.gauge('roster_feed_lag_seconds', health.lagMs / 1000, { feed: health.feed });
    if (Number.isFinite(this.deps.budget.remaining()))
      this.deps.telemetry.gauge('roster_docebo_budget_remaining', this.deps.budget.remaining());
    const usage = this.deps.ctx.crm.apiUsage();
    if (usage && usage.max > 0)
      this.deps.telemetry.gauge('roster_salesforce_api_usage_ratio', usage.used / usage.max);
    // A healthy Salesforce feed is proof that Salesforce answers.
    for (const { health } of feeds)
      if (
        health.state === 'ok' &&
        health.lastHeartbeatAt &&
        health.lastHeartbeatAt > (this.salesforceLastOkAt ?? '')
      )
        this.salesforceLastOkAt = health.lastHeartbeatAt;
    const evaluation = await checkHealth(this.monitor, clock, this.deps.alerter, {
      storeReachable,
      feeds,
      salesforceLastOkAt: this.salesforceLastOkAt,
      doceboLastOkAt: this.doceboLastOkAt,
      deadLetters: dead,
      consecutiveApplyFailures: this.consecutiveFailures,
    });
    this.lastStatus = { ready: evaluation.ready, problems: evaluation.problems };
  }
}

const finite = (n: number) => (Number.isFinite(n) ? n : -1);
