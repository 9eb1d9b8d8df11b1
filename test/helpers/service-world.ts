// Over 300 lines on purpose: one fixture: the in-process world of roster serve and how tests drive it.
// One in-process world for `roster serve`: both simulators in this process on loopback, sharing one
// virtual clock (TestClock) with Roster; a scenario seeded; roster.yaml and a SQLite file in a temporary
// folder; the service started with startServeWith. Tests drive it in virtual time: `runUntil` ticks the
// clock, waits for the service to come to rest and gives loopback I/O a moment, step by step, and fails
// with what it was waiting for when the virtual budget runs out. Wall time is spent only on real work.
import { readJournal } from './journal-rows.ts';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDoceboSimulator, type RunningDoceboSimulator } from '../../simulators/docebo/index.ts';
import {
  startSalesforceSimulator,
  type RunningSalesforceSimulator,
} from '../../simulators/salesforce/index.ts';
import type { Scenario } from '../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin, salesforceApi } from '../../simulators/sim-admin.ts';
import type { ServiceStatus } from '../../src/app/service/service-status.ts';
import { startServeWith, type RunningRoster } from '../../src/compose/serve.ts';
import type { AdminConfig } from '../../src/config/config-schema.ts';
import { demoConfigYaml } from '../../src/config/demo-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { OPEN_GUARDS } from './e2e-world.ts';
import { TestClock } from './test-clock.ts';

export const ADMIN_TOKEN = 'service-world-admin-token-0123456789';
export const OM_SECRET = 'om-shared-secret-0123456789';
export const OM_PATH = '/salesforce/outbound-messages';

/** What the serve part of roster.yaml may need from the running simulators. */
export interface ServeYamlContext {
  /** The Salesforce simulator's org id (outbound messages carry it). */
  orgId: string;
  /** `address` and `caFile` of the Pub/Sub endpoint, when the world has one. */
  pubsub: { address: string; caFile: string } | null;
}

/** Polling every second, a 200 ms window, a reconciliation at start: the spawned suite's defaults. */
export const POLL_YAML = `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { interval: 1s, overlap: 5s }
reconcile: { schedule: "0 3 * * *", onStart: true }
queue: { window: 200ms }
`;

export interface ServiceWorldOptions {
  /** The serve, feeds, reconcile, queue and alerts part of roster.yaml; POLL_YAML by default. */
  yaml?: string | ((ctx: ServeYamlContext) => string);
  /** A `guards:` block; wide open by default, so tests about other things are not held. */
  guards?: string;
  /** docebo.batchSize (100 in the demo config). */
  batchSize?: number;
  /** Change Data Capture on the Salesforce simulator. */
  pubsub?: boolean;
  /** Salesforce sends outbound messages for these objects to Roster's endpoint once it listens. */
  outboundObjects?: ('Account' | 'Contact')[];
  /** Where virtual time starts. */
  start?: string;
  /** The store URL; a SQLite file in the world's folder by default. */
  store?: string;
}

export interface RunOptions {
  /** Virtual time per step; default 100 ms. */
  stepMs?: number;
  /** Fails when the condition is not met within this much virtual time; default 60 s. */
  maxVirtualMs?: number;
  /** Named in the failure message. */
  what?: string;
}

export interface ServiceWorld {
  clock: TestClock;
  dir: string;
  dbFile: string;
  configFile: string;
  config: AdminConfig;
  sfUrl: string;
  doceboUrl: string;
  sfSim: RunningSalesforceSimulator;
  doceboSim: RunningDoceboSimulator;
  ids: Record<string, string>;
  sf: ReturnType<typeof salesforceAdmin>;
  docebo: ReturnType<typeof doceboAdmin>;
  /** The running service (throws while it is stopped). */
  readonly roster: RunningRoster;
  /** A write through Salesforce's REST API, as a user or integration makes it (feeds see it). */
  sfWrite(type: 'Account' | 'Contact', id: string, fields: Record<string, unknown>): Promise<void>;
  /** A call to the Salesforce simulator's admin surface (`/__admin/…`). */
  sfAdmin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** The admin API with the token. */
  admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  status(): Promise<ServiceStatus>;
  /** The Docebo platform's "today" (UTC) on the virtual clock, moved by `offsetDays`. */
  today(offsetDays?: number): string;
  /** Waits until the service rests and loopback I/O has had a moment; virtual time does not move. */
  settle(): Promise<void>;
  /** Steps virtual time until `check` returns a value (not undefined, null or false). */
  runUntil<T>(check: () => Promise<T | undefined | null | false>, opts?: RunOptions): Promise<T>;
  /** Steps virtual time by `ms`. */
  runFor(ms: number, opts?: { stepMs?: number }): Promise<void>;
  /**
   * Waits (virtual time standing still) for what only real I/O decides, e.g. that a round has begun
   * writing to Docebo; polls every few ms and fails after `timeoutMs` of wall time (default 10 s).
   */
  untilRealTime<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  /** Journal rows straight from the SQLite file, in order. */
  journal(): { username: string; outcome: string; error: string | null; run_id: string }[];
  stopRoster(): Promise<void>;
  startRoster(): Promise<RunningRoster>;
  /** Drives (and stops with the world) this instance from now on, e.g. a standby that took over. */
  adoptRoster(r: RunningRoster): void;
  stop(): Promise<void>;
}

// Silent unless someone debugging sets ROSTER_TEST_LOG=debug (or info, warn, error).
const LOG_LEVEL =
  (['debug', 'info', 'warn', 'error'] as const).find((l) => l === process.env.ROSTER_TEST_LOG) ?? 'silent';
// A service that does not come to rest within this much wall time is stuck, not slow.
const WALL_LIMIT_MS = 30_000;
// Loopback I/O the service does not wait for (pushed events, webhooks) gets this long per step.
const IO_MS = 3;

export async function startServiceWorld(
  scenario: Scenario,
  opts: ServiceWorldOptions = {},
): Promise<ServiceWorld> {
  const clock = new TestClock(opts.start ?? '2026-03-02T09:00:00Z');
  const now = () => clock.now();
  const dir = await mkdtemp(join(tmpdir(), 'roster-service-'));
  const sfSim = await startSalesforceSimulator({
    port: 0,
    quiet: true,
    now,
    ...(opts.pubsub ? { pubsub: { enabled: true, port: 0 } } : {}),
  });
  let doceboSim: RunningDoceboSimulator;
  try {
    doceboSim = await startDoceboSimulator({ port: 0, quiet: true, now });
  } catch (e) {
    await sfSim.close();
    throw e;
  }
  let roster: RunningRoster | null = null;
  const closeAll = async () => {
    await roster?.stop();
    roster = null;
    await Promise.all([sfSim.close(), doceboSim.close()]);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const sf = salesforceAdmin(sfSim.url);
    const docebo = doceboAdmin(doceboSim.url);
    const { ids } = await sf.seed(scenario);
    await docebo.seed(scenario.users);
    const sfAdmin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(new URL(path, sfSim.url), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(`${method} ${path} on the Salesforce simulator answered ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };

    let pubsub: ServeYamlContext['pubsub'] = null;
    if (sfSim.pubsub) {
      const caFile = join(dir, 'pubsub-ca.pem');
      await writeFile(caFile, sfSim.pubsub.certPem);
      pubsub = { address: sfSim.pubsub.address, caFile };
    }
    const { organizationId } = await sfAdmin<{ organizationId: string }>('GET', '/__admin/outbound');
    const serveYaml =
      typeof opts.yaml === 'function'
        ? opts.yaml({ orgId: organizationId, pubsub })
        : (opts.yaml ?? POLL_YAML);

    const configFile = join(dir, 'roster.yaml');
    const dbFile = join(dir, 'roster.db');
    let yaml = demoConfigYaml({
      sfUrl: sfSim.url,
      doceboUrl: doceboSim.url,
      store: opts.store ?? `sqlite:${dbFile}`,
      guards: opts.guards ?? (/^guards:/m.test(serveYaml) ? '' : OPEN_GUARDS),
    });
    if (opts.batchSize) yaml = yaml.replace('batchSize: 100', `batchSize: ${opts.batchSize}`);
    await writeFile(configFile, yaml + serveYaml);
    const config = await loadConfig({
      path: configFile,
      env: { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN },
      cwd: dir,
      adminApi: true,
    });

    const running = (): RunningRoster => {
      if (!roster) throw new Error('roster serve is not running in this world');
      return roster;
    };

    const settle = async (): Promise<void> => {
      const service = running().service;
      await withinWallTime(service.whenIdle(), 'the service to come to rest');
      await new Promise((r) => setTimeout(r, IO_MS));
      await withinWallTime(service.whenIdle(), 'the service to come to rest');
    };

    const world: ServiceWorld = {
      clock,
      dir,
      dbFile,
      configFile,
      config,
      sfUrl: sfSim.url,
      doceboUrl: doceboSim.url,
      sfSim,
      doceboSim,
      ids,
      sf,
      docebo,
      get roster() {
        return running();
      },
      // A fresh client each time: a test may have expired every session.
      sfWrite: (type, id, fields) => salesforceApi(sfSim.url).update(type, id, fields),
      sfAdmin,
      admin: async <T>(method: string, path: string, body?: unknown) => {
        const res = await fetch(new URL(path, running().url), {
          method,
          headers: {
            authorization: `Bearer ${ADMIN_TOKEN}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as T };
      },
      status: async () => (await world.admin<ServiceStatus>('GET', '/admin/status')).body,
      today: (offsetDays = 0) => {
        const d = clock.now();
        d.setUTCDate(d.getUTCDate() + offsetDays);
        return d.toISOString().slice(0, 10);
      },
      settle,
      runUntil: async <T>(
        check: () => Promise<T | undefined | null | false>,
        run: RunOptions = {},
      ): Promise<T> => {
        const stepMs = run.stepMs ?? 100;
        const maxVirtualMs = run.maxVirtualMs ?? 60_000;
        const from = clock.now().getTime();
        for (;;) {
          await settle();
          const value = await check();
          if (value !== undefined && value !== null && value !== false) return value;
          const spent = clock.now().getTime() - from;
          if (spent >= maxVirtualMs)
            throw new Error(
              `${run.what ?? 'condition'} not met within ${maxVirtualMs} ms of virtual time ` +
                `(virtual now ${clock.now().toISOString()})`,
            );
          await clock.tick(Math.min(stepMs, maxVirtualMs - spent));
        }
      },
      runFor: async (ms, run = {}) => {
        const stepMs = run.stepMs ?? 100;
        const until = clock.now().getTime() + ms;
        await settle();
        for (let left = ms; left > 0; left = until - clock.now().getTime()) {
          await clock.tick(Math.min(stepMs, left));
          await settle();
        }
      },
      untilRealTime: async <T>(
        check: () => T | undefined | null | false,
        what: string,
        timeoutMs = 10_000,
      ) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = check();
          if (value !== undefined && value !== null && value !== false) return value;
          if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms of wall time`);
          await new Promise((r) => setTimeout(r, 5));
        }
      },
      journal: () => readJournal(dbFile),
      stopRoster: async () => {
        const r = roster;
        roster = null;
        await r?.stop();
      },
      startRoster: async () => {
        if (roster) throw new Error('roster serve is already running in this world');
        roster = await startServeWith(config, clock, { logLevel: LOG_LEVEL });
        if (opts.outboundObjects)
          await sfAdmin('POST', '/__admin/outbound', {
            url: `${roster.url}${OM_PATH}?token=${OM_SECRET}`,
            objects: opts.outboundObjects,
          });
        return roster;
      },
      adoptRoster: (r) => {
        roster = r;
      },
      stop: closeAll,
    };
    // The scenario was there before Roster started: its records' SystemModstamp is not "since the start".
    clock.advance(5_000);
    await world.startRoster();
    return world;
  } catch (e) {
    await closeAll();
    throw e;
  }
}

async function withinWallTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`waited ${WALL_LIMIT_MS} ms of wall time for ${what}`)),
      WALL_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Users of ACME (not the contractor outside the scope), once every one of them is inactive. */
export async function acmeRetired(w: Pick<ServiceWorld, 'docebo'>) {
  const users = (await w.docebo.users()).filter(
    (u) => u.username.endsWith('@acme.example') && !u.username.startsWith('snoopy'),
  );
  return users.length > 0 && users.every((u) => !u.active) ? users : undefined;
}

/** Waits until every feed is up (a poll has succeeded), the start-up reconciliation ran and the queue is empty. */
export function whenStarted(w: ServiceWorld): Promise<ServiceStatus> {
  return w.runUntil(
    async () => {
      const s = await w.status();
      return s.reconcile.lastRun && s.queue.queued === 0 && s.feeds.every((f) => f.state === 'ok')
        ? s
        : undefined;
    },
    { what: 'the start-up reconciliation' },
  );
}
