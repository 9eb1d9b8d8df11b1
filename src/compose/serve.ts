// Composition root of `roster serve`: the adapters, the feeds, the service and the HTTP server, and a
// handle that stops them in the safe order.
import type { RosterContext } from '../app/roster-context.ts';
import { recordUseCases } from '../app/record-use-cases.ts';
import { RosterService } from '../app/service/roster-service.ts';
import { noAlerts, WebhookAlerter } from '../adapters/alerts/webhook-alerter.ts';
import { createLogger, logFacade, type LogLevel } from '../adapters/logging/pino-logger.ts';
import { PromTelemetry } from '../adapters/metrics/prom-telemetry.ts';
import { cronSchedule } from '../adapters/schedule/cron-schedule.ts';
import type { AdminConfig } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { persistentBudget } from '../executor/persistent-budget.ts';
import type { Clock } from '../ports/clock.ts';
import { startServer } from '../server/start-server.ts';
import { clockFromEnv } from './clock-from-env.ts';
import { doceboTarget, openConfiguredStore, salesforceSource, settingsOf } from './connect.ts';
import { buildFeeds } from './feeds.ts';
import { shortId, writerClaimant, type Env } from './open-roster.ts';

export interface RunningRoster {
  url: string;
  service: RosterService;
  stop(): Promise<void>;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export async function startServe(configPath: string, env: Env, cwd: string): Promise<RunningRoster> {
  const config = await loadConfig({ path: configPath, env, cwd, adminApi: true });
  const level = LEVELS.find((l) => l === env.ROSTER_LOG_LEVEL) ?? 'info';
  return startServeWith(config, clockFromEnv(env), { logLevel: level });
}

export async function startServeWith(
  config: AdminConfig,
  clock: Clock,
  opts: { logLevel?: LogLevel } = {},
): Promise<RunningRoster> {
  const schedule = cronSchedule(config.reconcile.schedule, config.reconcile.timezone);
  const logger = createLogger({ base: { service: 'roster' }, level: opts.logLevel ?? 'info' });
  const log = logFacade(logger);
  const telemetry = new PromTelemetry();
  const store = await openConfiguredStore(config);
  const spend = await persistentBudget({
    callsPerHour: config.docebo.callsPerHour,
    calls: store.calls,
    clock,
    onCall: () => telemetry.count('roster_docebo_calls_total'),
    onError: (e) => log.warn('recording Docebo calls failed', { error: String(e) }),
  });
  const { budget } = spend;
  const crm = salesforceSource(config);
  const alerter = config.alerts.webhookUrl
    ? new WebhookAlerter({ url: config.alerts.webhookUrl, clock, log })
    : noAlerts;
  // Use cases report what they find on the way (a restore that did not take) through these too.
  const base = { crm, store, clock, newId: shortId, settings: settingsOf(config), alerter, telemetry };
  // Leavers and the event path pay from the urgent lane; full listings wait in the background lane.
  const ctx: RosterContext = { ...base, lms: doceboTarget(config, budget.lane('urgent'), clock) };
  const reconcileCtx: RosterContext = {
    ...base,
    lms: doceboTarget(config, budget.lane('background'), clock),
  };

  // Push feeds deliver through the service, which exists only once the feeds are built.
  let service: RosterService | null = null;
  const { feeds, plugins } = await buildFeeds(config, {
    crm,
    clock,
    log,
    sink: (d) => {
      if (!service) throw new Error('roster serve is still starting');
      return service.deliver(d);
    },
  });
  const running = new RosterService({
    ctx,
    reconcileCtx,
    feeds,
    telemetry,
    alerter,
    log,
    jobs: {
      claimLimit: config.queue.claimLimit,
      maxAttempts: config.queue.maxAttempts,
      leaseMs: 10 * 60_000,
    },
    windowMs: config.queue.window,
    schedule,
    reconcileOnStart: config.reconcile.onStart,
    feedTroubleIntervalMs: config.reconcile.feedTroubleInterval,
    observe: config.serve.mode === 'observe',
    writer: { claimant: writerClaimant('serve'), ttlMs: config.serve.leaseTime },
    budget: {
      callsPerHour: config.docebo.callsPerHour,
      remaining: () => budget.remaining(),
      spent: () => budget.spent(),
    },
  });
  service = running;
  const server = await startServer({
    host: config.serve.host,
    port: config.serve.port,
    adminToken: config.serve.adminToken,
    status: () => running.status(),
    metrics: async () => ({ contentType: telemetry.contentType, body: await telemetry.metricsText() }),
    records: recordUseCases(store, clock),
    reconcileNow: async () => running.requestReconcile('admin API'),
    log,
    plugins,
  });
  await running.start();
  log.info('roster serve started', {
    url: server.url,
    feeds: feeds.map((f) => f.feed.name),
    schedule: schedule.description,
  });
  return {
    url: server.url,
    service: running,
    stop: async () => {
      // Stop taking work first, then let the batch in flight finish, then persist and close.
      await server.close();
      await running.stop();
      await spend.close();
      await store.close();
      log.info('roster serve stopped');
      logger.flush();
    },
  };
}
