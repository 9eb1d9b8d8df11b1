// Composition root of `roster serve`: builds the adapters, the feeds, the service loop and the HTTP
// server, and returns a handle that stops them in the safe order.
import type { RosterContext } from './app/roster-context.ts';
import { PollFeed } from './app/feeds/poll-feed.ts';
import { RosterService, type ServiceFeed } from './app/roster-service.ts';
import { noAlerts, WebhookAlerter } from './adapters/alerts/webhook-alerter.ts';
import { createLogger, logFacade } from './adapters/logging/pino-logger.ts';
import { PromTelemetry } from './adapters/metrics/prom-telemetry.ts';
import { cronSchedule } from './adapters/schedule/cron-schedule.ts';
import { openStore } from './adapters/store/open-store.ts';
import type { RosterConfig } from './config/config-schema.ts';
import { loadConfig } from './config/load-config.ts';
import { RosterError } from './domain/errors.ts';
import type { FeedHealth } from './domain/work.ts';
import {
  clockFromEnv,
  doceboTarget,
  persistentBudget,
  salesforceSource,
  settingsOf,
  shortId,
} from './main.ts';
import type { ChangeFeed } from './ports/change-feed.ts';
import type { Clock } from './ports/clock.ts';
import { createOutboundHealth, outboundMessagesPlugin } from './server/outbound-messages/index.ts';
import { startServer } from './server/start-server.ts';

export interface RunningRoster {
  url: string;
  service: RosterService;
  stop(): Promise<void>;
}

export async function startServe(
  configPath: string,
  env: Record<string, string | undefined>,
): Promise<RunningRoster> {
  const config = await loadConfig({ path: configPath, env, cwd: process.cwd() });
  const level = env.ROSTER_LOG_LEVEL;
  return startServeWith(config, clockFromEnv(env), {
    logLevel:
      level === 'debug' || level === 'warn' || level === 'error' || level === 'silent' ? level : 'info',
  });
}

export async function startServeWith(
  config: RosterConfig,
  clock: Clock,
  opts: { logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent' } = {},
): Promise<RunningRoster> {
  const adminToken = config.serve.adminToken;
  if (!adminToken)
    throw new RosterError('ROSTER_CONFIG_INVALID', 'roster serve needs serve.adminToken for its admin API.', {
      details: [
        {
          path: 'serve.adminToken',
          message: 'required for roster serve',
          fix: 'adminToken: "${ROSTER_ADMIN_TOKEN}" and export a random value of 24+ characters',
        },
      ],
    });
  const schedule = cronSchedule(config.reconcile.schedule, config.reconcile.timezone);
  const logger = createLogger({ base: { service: 'roster' }, level: opts.logLevel ?? 'info' });
  const log = logFacade(logger);
  const telemetry = new PromTelemetry();
  const store = await openStore(config.store);
  const { budget, flush } = await persistentBudget(config, store, clock, () =>
    telemetry.count('roster_docebo_calls_total'),
  );
  const flushTimer = setInterval(() => void flush(), 5000);
  const crm = salesforceSource(config);
  const settings = settingsOf(config);
  const base = { crm, store, clock, newId: shortId, settings };
  // Leavers and the event path pay from the urgent lane; full listings wait in the background lane.
  const ctx: RosterContext = { ...base, lms: doceboTarget(config, budget.lane('urgent'), clock) };
  const reconcileCtx: RosterContext = {
    ...base,
    lms: doceboTarget(config, budget.lane('background'), clock),
  };

  const feeds: ServiceFeed[] = [];
  if (config.feeds.poll.enabled)
    feeds.push({
      feed: new PollFeed({
        crm,
        clock,
        intervalMs: config.feeds.poll.interval,
        overlapMs: config.feeds.poll.overlap,
        slowDownAbove: config.feeds.poll.slowDownAbovePercent / 100,
        log,
      }),
      intervalMs: config.feeds.poll.interval,
    });
  // gRPC and Avro load only when CDC is on.
  if (config.feeds.cdc.enabled)
    feeds.push(await (await import('./serve-cdc.ts')).cdcFeed(config, clock, log));
  const om = config.feeds.outboundMessages;
  const omHealth = om.enabled ? createOutboundHealth(clock) : null;
  if (omHealth) feeds.push({ feed: inboundFeed('outbound', () => omHealth.health()), intervalMs: null });

  const alerter = config.alerts.webhookUrl
    ? new WebhookAlerter({
        url: config.alerts.webhookUrl,
        clock,
        log: (msg, fields) => log.warn(msg, fields),
      })
    : noAlerts;
  const service = new RosterService({
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
    observe: config.serve.mode === 'observe',
    budget: {
      callsPerHour: config.docebo.callsPerHour,
      remaining: () => budget.remaining(),
      spent: () => budget.spent(),
    },
  });
  const server = await startServer({
    host: config.serve.host,
    port: config.serve.port,
    adminToken,
    status: () => service.status(),
    metrics: async () => ({ contentType: telemetry.contentType, body: await telemetry.metricsText() }),
    store,
    reconcileNow: async () => service.requestReconcile('admin API'),
    now: () => clock.now(),
    log,
    plugins:
      om.enabled && om.organizationId && om.secret && omHealth
        ? [
            outboundMessagesPlugin({
              path: om.path,
              organizationId: om.organizationId,
              secret: om.secret,
              sink: (d) => service.deliver(d),
              now: () => clock.now(),
              log,
              onDelivery: (accepted, duplicates) => omHealth.record(accepted, duplicates),
            }),
          ]
        : [],
  });
  await service.start();
  log.info('roster serve started', {
    url: server.url,
    feeds: feeds.map((f) => f.feed.name),
    schedule: schedule.description,
  });
  return {
    url: server.url,
    service,
    stop: async () => {
      // Stop taking work first, then let the batch in flight finish, then persist and close.
      await server.close();
      await service.stop();
      clearInterval(flushTimer);
      await flush();
      await store.close();
      log.info('roster serve stopped');
      logger.flush();
    },
  };
}

/** A feed Salesforce pushes to (outbound messages): nothing to start, only health to report. */
function inboundFeed(name: 'outbound', health: () => FeedHealth): ChangeFeed {
  return { name, start: async () => undefined, stop: async () => undefined, health };
}
