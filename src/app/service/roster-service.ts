// `roster serve`: feeds mark records dirty in the durable queue; the worker loop (the single owner of
// Docebo writes) turns due jobs into targeted plans and runs every reconciliation — at start, on the
// schedule, when a feed lost track (at most once per feed-trouble interval) or an admin asks. The health
// reporter keeps readiness, metrics and alerts current: the service never stops silently. This object
// only starts, stops and connects them. Several instances may share one store: the one holding the
// writer lease is active (feeds, worker, schedule); the others stand by, try for the lease every
// second, and take over once it runs out (a crash) or is released (a clean stop).
import type { FeedDelivery } from '../../domain/work.ts';
import type { Alerter } from '../../ports/alerter.ts';
import type { LeaseClaimant } from '../../ports/lease-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Schedule } from '../../ports/schedule.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { RosterContext } from '../roster-context.ts';
import { describeHolder, WriterLease } from '../writer-lease.ts';
import { HealthMonitor } from './health-monitor.ts';
import { Leadership } from './leadership.ts';
import { HealthReporter, type BudgetView, type ServiceFeed } from './health-reporter.ts';
import { runJobRound } from './job-round.ts';
import type { JobSettings } from './process-jobs.ts';
import { ReconcileScheduler } from './reconcile-scheduler.ts';
import { runReconciliation } from './reconcile-round.ts';
import { ReconcileThrottle } from './reconcile-throttle.ts';
import { ServiceActivity } from './service-activity.ts';
import type { ServiceStatus } from './service-status.ts';
import { UndecodableEvents } from './undecodable-events.ts';
import { WorkerLoop } from './worker-loop.ts';

export type { ServiceFeed } from './health-reporter.ts';

export interface RosterServiceDeps {
  ctx: RosterContext;
  /** Full reconciliations read Docebo in the budget's background lane, leaving room for leavers. */
  reconcileCtx?: RosterContext;
  feeds: ServiceFeed[];
  telemetry: Telemetry;
  alerter: Alerter;
  log: Logger;
  jobs: JobSettings;
  /** Micro-batch window: after the first event of a quiet spell, wait this long for the rest. */
  windowMs: number;
  schedule: Schedule | null;
  reconcileOnStart: boolean;
  budget: BudgetView;
  /** How often an idle worker looks for due retries; default 1 s. */
  idleMs?: number;
  /** serve.mode observe: journal decisions as `observed`, write nothing to Docebo. */
  observe?: boolean;
  /** How often health is checked; default 5 s. */
  healthEveryMs?: number;
  /** This instance as the writer lease names it, and how long the lease lasts without renewal. */
  writer: { claimant: LeaseClaimant; ttlMs: number };
  /** How often a standby tries for the lease; default 1 s. */
  standbyPollMs?: number;
  /** At most one reconciliation per this long for feeds that lost track; default 15 min, 0 = no limit. */
  feedTroubleIntervalMs?: number;
}

export type { ServiceRole } from './leadership.ts';

const FEED_TROUBLE_INTERVAL_MS = 15 * 60_000;

export class RosterService {
  private readonly startedAt: Date;
  private readonly activity: ServiceActivity;
  private readonly worker: WorkerLoop;
  private readonly scheduler: ReconcileScheduler;
  private readonly health: HealthReporter;
  private readonly lease: WriterLease;
  private readonly leadership: Leadership;
  /** Reconciliations asked for through the store (roster apply next to this service), not yet run. */
  private readonly requested: string[] = [];
  private readonly feedTrouble: ReconcileThrottle;
  private readonly undecodable: UndecodableEvents;

  constructor(private readonly deps: RosterServiceDeps) {
    const { ctx, telemetry, alerter, log } = deps;
    this.startedAt = ctx.clock.now();
    this.activity = new ServiceActivity(telemetry);
    this.lease = new WriterLease({
      leases: ctx.store.leases,
      clock: ctx.clock,
      claimant: deps.writer.claimant,
      ttlMs: deps.writer.ttlMs,
      log,
      onLost: () => this.leadership.lost(),
    });
    this.leadership = new Leadership({
      lease: this.lease,
      clock: ctx.clock,
      log,
      telemetry,
      pollMs: deps.standbyPollMs ?? 1000,
      startWork: (tookOver) => this.startWork(tookOver),
      stopWork: () => this.stopWork(),
    });
    // Every Docebo batch of this service checks that it still holds the writer lease.
    const fence = () => this.lease.fence();
    const round = { ctx: { ...ctx, fence }, telemetry, alerter, log, activity: this.activity };
    const observe = deps.observe ?? false;
    this.worker = new WorkerLoop({
      clock: ctx.clock,
      windowMs: deps.windowMs,
      idleMs: deps.idleMs ?? 1000,
      runJobs: async () => {
        await this.pickUpRequests();
        return runJobRound(round, { ...deps.jobs, observe });
      },
      reconcile: async (reason) => {
        // Whatever asked for it, a reconciliation starting now covers every resync a feed asked for,
        // and the requests waiting now (roster apply next to this service); later ones, the next run.
        this.feedTrouble.covered();
        const serving = this.requested.splice(0);
        const summary = await runReconciliation(
          { ...round, reconcileCtx: { ...(deps.reconcileCtx ?? ctx), fence }, observe },
          reason,
        );
        if (serving.length > 0)
          await ctx.store.requests
            .finish(serving, summary, ctx.clock.now().toISOString())
            .catch((e: unknown) =>
              log.warn('recording a requested reconciliation failed', { error: String(e) }),
            );
        if (this.requested.length > 0) this.worker.requestReconcile('asked for by roster apply');
      },
    });
    const troubleMs = deps.feedTroubleIntervalMs ?? FEED_TROUBLE_INTERVAL_MS;
    this.feedTrouble = new ReconcileThrottle({
      clock: ctx.clock,
      intervalMs: troubleMs,
      // One already running may have read Salesforce before the trouble: then it must be tried again.
      start: (reason) => this.worker.requestReconcile(reason).accepted || !this.worker.reconciling,
    });
    this.undecodable = new UndecodableEvents({
      clock: ctx.clock,
      telemetry,
      alerter,
      clearAfterMs: troubleMs > 0 ? troubleMs : FEED_TROUBLE_INTERVAL_MS,
    });
    this.scheduler = new ReconcileScheduler({
      clock: ctx.clock,
      schedule: deps.schedule,
      request: (reason) => void this.worker.requestReconcile(reason),
    });
    this.health = new HealthReporter({
      clock: ctx.clock,
      everyMs: deps.healthEveryMs ?? 5000,
      // Quiet periods need no Docebo call; the nightly reconciliation proves both systems answer.
      monitor: (since) => new HealthMonitor({ startedAt: since, maxSilenceMs: 25 * 3_600_000 }),
      standby: () => this.leadership.role !== 'active',
      alerter,
      telemetry,
      store: ctx.store,
      crm: ctx.crm,
      feeds: deps.feeds,
      budget: deps.budget,
      activity: this.activity,
    });
  }

  /** Becomes active if the writer lease is free, otherwise stands by; then health runs on its timer. */
  async start(): Promise<void> {
    await this.leadership.start();
    await this.health.start();
  }

  /** Stops taking work, lets the batch in flight finish (it is journaled), and hands the lease over. */
  async stop(): Promise<void> {
    this.health.stop();
    await this.leadership.stop();
  }

  /** Holding the lease: the previous writer is gone, so its running jobs and runs are ours to resume. */
  private async startWork(tookOver: boolean): Promise<void> {
    const { store } = this.deps.ctx;
    this.health.restart();
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
    if (this.deps.reconcileOnStart) this.worker.requestReconcile(tookOver ? 'takeover' : 'start');
    this.scheduler.start();
    this.worker.start();
  }

  /** Takes the reconciliations asked for through the store; the worker runs one for all of them. */
  private async pickUpRequests(): Promise<void> {
    try {
      const ids = await this.deps.ctx.store.requests.claimWaiting();
      if (ids.length === 0) return;
      this.requested.push(...ids);
      this.worker.requestReconcile(`asked for by roster apply (${ids.length})`);
    } catch (e) {
      this.deps.log.warn('reading requested reconciliations failed; trying again', { error: String(e) });
    }
  }

  private async stopWork(): Promise<void> {
    this.scheduler.stop();
    for (const { feed } of this.deps.feeds) await feed.stop().catch(() => undefined);
    // After the feeds: none can ask for a resync any more, so no timer outlives the service.
    this.feedTrouble.stop();
    await this.worker.stop();
  }

  /** Feeds call this; it resolves once the keys are durably queued (then a feed may acknowledge). */
  async deliver(delivery: FeedDelivery): Promise<{ duplicates: string[] }> {
    const { store, clock } = this.deps.ctx;
    const out = await store.queue.enqueue(delivery, clock.now().toISOString());
    const feed = delivery.checkpoint?.feed ?? delivery.dedupe?.source ?? delivery.keys[0]?.source ?? 'admin';
    if (delivery.keys.length > 0) {
      this.deps.telemetry.count('roster_feed_events_total', { feed }, delivery.keys.length);
      this.worker.notify();
    }
    if (delivery.undecodable) this.undecodable.record(feed, delivery.undecodable);
    if (delivery.resync?.length) {
      const decision = this.feedTrouble.request(
        `${feed} asked for a full resync of ${delivery.resync.join(', ')}`,
      );
      if (decision.outcome === 'deferred')
        this.deps.log.warn('feed trouble: the full reconciliation waits for the feed-trouble interval', {
          feed,
          resync: delivery.resync,
          until: decision.until.toISOString(),
        });
    }
    return { duplicates: out.duplicates };
  }

  requestReconcile(reason: string): { accepted: boolean; message: string } {
    return this.worker.requestReconcile(reason);
  }

  /**
   * Resolves once no feed has a poll in flight and the worker rests with nothing to do (tests drive the
   * service in virtual time). A poll may queue work for the worker, and a round's budget wait may let a
   * poll timer fire: both must be quiet at once.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const polls = this.pollsInFlight();
      if (polls.length > 0) await Promise.all(polls);
      await this.worker.whenIdle();
      if (this.pollsInFlight().length === 0) return;
    }
  }

  private pollsInFlight(): Promise<void>[] {
    return this.deps.feeds.flatMap(({ feed }) => feed.inFlight?.() ?? []);
  }

  /** Runs a health check now (tests; the reporter also runs on its timer). */
  checkHealth(): Promise<void> {
    return this.health.check();
  }

  async status(): Promise<ServiceStatus> {
    const { store, clock, crm } = this.deps.ctx;
    const now = clock.now();
    const { budget } = this.deps;
    return {
      role: this.leadership.role,
      writer: this.leadership.holder && describeHolder(this.leadership.holder),
      startedAt: this.startedAt.toISOString(),
      now: now.toISOString(),
      ready: this.health.last.ready,
      problems: this.health.last.problems,
      feeds: this.deps.feeds.map(({ feed }) => feed.health()),
      queue: await store.queue.stats(now.toISOString()),
      budget: {
        callsPerHour: budget.callsPerHour,
        remaining: finite(budget.remaining()),
        spentSinceStart: budget.spent(),
      },
      salesforce: { lastOkAt: this.activity.salesforceLastOkAt, apiUsage: crm.apiUsage() },
      docebo: { lastOkAt: this.activity.doceboLastOkAt },
      reconcile: {
        lastRun: this.activity.lastReconcile,
        nextAt: this.scheduler.nextAt?.toISOString() ?? null,
        running: this.worker.reconciling,
      },
      changes: { ...this.activity.changes },
      held: (await store.approvals.listHeld({ status: 'held' })).length,
      mode: this.deps.observe ? 'observe' : 'enforce',
    };
  }
}

const finite = (n: number) => (Number.isFinite(n) ? n : -1);
