// Composition root: the only place that constructs adapters and wires them into a RosterContext.
import { randomUUID } from 'node:crypto';
import { DoceboLmsTarget } from './adapters/docebo/docebo-lms-target.ts';
import { SalesforceCrmSource } from './adapters/salesforce/salesforce-crm-source.ts';
import { openStore } from './adapters/store/open-store.ts';
import type { RosterContext, RosterSettings } from './app/roster-context.ts';
import type { CallBudget } from './ports/call-budget.ts';
import type { Store } from './ports/store.ts';
import { configFields } from './config/config-fields.ts';
import type { RosterConfig } from './config/config-schema.ts';
import { loadConfig } from './config/load-config.ts';
import { SlidingWindowBudget } from './executor/sliding-window-budget.ts';
import type { RuleSpec } from './planner/reasons.ts';
import { RosterError } from './domain/errors.ts';
import { shiftedClock, systemClock, type Clock } from './ports/clock.ts';
import { compileRules } from './rules/compile-rules.ts';

export interface OpenRoster {
  config: RosterConfig;
  ctx: RosterContext;
  close(): Promise<void>;
}

export const shortId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function settingsOf(config: RosterConfig): RosterSettings {
  const rules: RuleSpec[] = compileRules(config.rules).map((r) => ({
    name: r.name,
    retireOn: r.retireOn,
    fields: r.fields,
    holds: (contact, today) => r.holds(contact, today),
  }));
  return {
    mode: config.retire.mode,
    timezone: config.docebo.timezone,
    batchSize: config.docebo.batchSize,
    matchKeys: config.match,
    rules,
    query: configFields(config),
    guards: config.guards,
  };
}

export function salesforceSource(config: RosterConfig): SalesforceCrmSource {
  return new SalesforceCrmSource({
    loginUrl: config.salesforce.loginUrl,
    apiVersion: config.salesforce.apiVersion,
    auth: config.salesforce.auth,
    batchSize: config.salesforce.batchSize,
  });
}

export function doceboTarget(config: RosterConfig, budget: CallBudget, clock: Clock): DoceboLmsTarget {
  return new DoceboLmsTarget({
    baseUrl: config.docebo.baseUrl,
    ...config.docebo.auth,
    batchSize: config.docebo.batchSize,
    batchIdentifyBy: config.docebo.batchIdentifyBy,
    budget,
    clock,
  });
}

/**
 * The hourly Docebo budget, shared with every other Roster process on the same store: calls already
 * made in the last hour (by `serve`, or an earlier `apply`) count, and each new call is recorded.
 */
export async function persistentBudget(
  config: RosterConfig,
  store: Store,
  clock: Clock,
  onCall?: () => void,
): Promise<{ budget: SlidingWindowBudget; flush(): Promise<void> }> {
  const since = new Date(clock.now().getTime() - 3_600_000).toISOString();
  const past = (await store.calls.recent('docebo', since)).map((at) => Date.parse(at));
  let pending: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0)
      writing = writing.then(() => store.calls.record('docebo', batch)).catch(() => undefined);
    return writing;
  };
  const budget = new SlidingWindowBudget({
    callsPerHour: config.docebo.callsPerHour,
    clock,
    pastCalls: past,
    onCall: (atMs) => {
      pending.push(new Date(atMs).toISOString());
      onCall?.();
      // Recorded in small groups: a lost group after a crash only makes the next hour a little generous.
      if (pending.length >= 10) void flush();
    },
  });
  return { budget, flush };
}

export async function createRoster(config: RosterConfig, opts: { clock?: Clock } = {}): Promise<OpenRoster> {
  const clock = opts.clock ?? systemClock;
  const store = await openStore(config.store);
  const { budget, flush } = await persistentBudget(config, store, clock);
  const ctx: RosterContext = {
    crm: salesforceSource(config),
    lms: doceboTarget(config, budget, clock),
    store,
    clock,
    newId: shortId,
    settings: settingsOf(config),
  };
  return {
    config,
    ctx,
    close: async () => {
      await flush();
      await store.close();
    },
  };
}

export async function openRoster(
  configPath: string,
  env: Record<string, string | undefined>,
): Promise<OpenRoster> {
  const config = await loadConfig({ path: configPath, env, cwd: process.cwd() });
  return createRoster(config, { clock: clockFromEnv(env) });
}

/** `ROSTER_NOW` (an ISO date or instant) moves Roster's "today", for rehearsals against simulators. */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const raw = env.ROSTER_NOW;
  if (!raw) return systemClock;
  const start = new Date(raw);
  if (Number.isNaN(start.getTime()))
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `ROSTER_NOW="${raw}" is not a date: expected e.g. 2026-12-01 or 2026-12-01T09:00:00Z, or unset it.`,
    );
  return shiftedClock(start);
}
