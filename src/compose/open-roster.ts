// Composition root for the CLI: turns roster.yaml into use cases. `openRoster` connects to Salesforce,
// Docebo and the store; `openRecords` only to the store (history, audit, plans, queue, approvals).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WebhookAlerter } from '../adapters/alerts/webhook-alerter.ts';
import type { RosterContext } from '../app/roster-context.ts';
import { recordUseCases, type RecordUseCases } from '../app/record-use-cases.ts';
import { rosterUseCases, type RosterUseCases } from '../app/roster-use-cases.ts';
import { WriterLease } from '../app/writer-lease.ts';
import type { RosterConfig } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { persistentBudget } from '../executor/persistent-budget.ts';
import type { Clock } from '../ports/clock.ts';
import type { LeaseClaimant } from '../ports/lease-store.ts';
import { silentLogger, type Logger } from '../ports/logger.ts';
import { clockFromEnv } from './clock-from-env.ts';
import { doceboTarget, openConfiguredStore, salesforceSource, settingsOf } from './connect.ts';

export type Env = Record<string, string | undefined>;

export interface Roster extends RosterUseCases, RecordUseCases {
  readonly config: RosterConfig;
  close(): Promise<void>;
}

export interface Records extends RecordUseCases {
  readonly config: RosterConfig;
  close(): Promise<void>;
}

export const shortId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** This process, as the holder of the writer lease names it to others. */
export const writerClaimant = (role: string): LeaseClaimant => ({
  id: randomUUID(),
  host: hostname(),
  pid: process.pid,
  role,
});

export async function createRoster(
  config: RosterConfig,
  opts: { clock?: Clock; log?: Logger } = {},
): Promise<Roster> {
  const clock = opts.clock ?? clockFromEnv({});
  const log = opts.log ?? silentLogger;
  const store = await openConfiguredStore(config);
  // One-shot commands record their Docebo calls as they go and on close; no timer keeps them alive.
  const spend = await persistentBudget({
    callsPerHour: config.docebo.callsPerHour,
    calls: store.calls,
    clock,
    flushEveryMs: null,
    onError: (e) => log.warn('recording Docebo calls failed', { error: String(e) }),
  });
  let lease: WriterLease | null = null;
  const writer = (role: string) =>
    (lease = new WriterLease({
      leases: store.leases,
      clock,
      claimant: writerClaimant(role),
      ttlMs: config.serve.leaseTime,
      log,
    }));
  const ctx: RosterContext = {
    crm: salesforceSource(config),
    lms: doceboTarget(config, spend.budget, clock),
    store,
    clock,
    newId: shortId,
    settings: settingsOf(config),
    fence: async () => {
      if (lease) await lease.fence();
    },
    // A one-shot command's listing can be the one that finds a restore that did not take: with
    // alerts configured, it tells the same people serve would.
    ...(config.alerts.webhookUrl
      ? { alerter: new WebhookAlerter({ url: config.alerts.webhookUrl, clock, log }) }
      : {}),
  };
  return {
    config,
    ...rosterUseCases(ctx, writer),
    ...recordUseCases(store, clock),
    close: async () => {
      await spend.close();
      await store.close();
    },
  };
}

/** `configPath` may be relative to `cwd`, the directory the command was run from. */
export async function openRoster(configPath: string, env: Env, cwd: string): Promise<Roster> {
  const config = await loadConfig({ path: configPath, env, cwd });
  return createRoster(config, { clock: clockFromEnv(env) });
}

export async function openRecords(configPath: string, env: Env, cwd: string): Promise<Records> {
  const config = await loadConfig({ path: configPath, env, cwd });
  const store = await openConfiguredStore(config);
  return { config, ...recordUseCases(store, clockFromEnv(env)), close: () => store.close() };
}
