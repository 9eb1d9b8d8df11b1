// Composition root: the only place that constructs adapters and wires them into a RosterContext.
import { randomUUID } from 'node:crypto';
import { DoceboLmsTarget } from './adapters/docebo/docebo-lms-target.ts';
import { SalesforceCrmSource } from './adapters/salesforce/salesforce-crm-source.ts';
import { openStore } from './adapters/store/open-store.ts';
import type { RosterContext } from './app/roster-context.ts';
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

const shortId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function createRoster(config: RosterConfig, opts: { clock?: Clock } = {}): Promise<OpenRoster> {
  const clock = opts.clock ?? systemClock;
  const query = configFields(config);
  const rules: RuleSpec[] = compileRules(config.rules).map((r) => ({
    name: r.name,
    retireOn: r.retireOn,
    fields: r.fields,
    holds: (contact, today) => r.holds(contact, today),
  }));
  const store = await openStore(config.store);
  const budget = new SlidingWindowBudget({ callsPerHour: config.docebo.callsPerHour, clock });
  const crm = new SalesforceCrmSource({
    loginUrl: config.salesforce.loginUrl,
    apiVersion: config.salesforce.apiVersion,
    auth: config.salesforce.auth,
    batchSize: config.salesforce.batchSize,
  });
  const lms = new DoceboLmsTarget({
    baseUrl: config.docebo.baseUrl,
    ...config.docebo.auth,
    batchSize: config.docebo.batchSize,
    batchIdentifyBy: config.docebo.batchIdentifyBy,
    budget,
    clock,
  });
  const ctx: RosterContext = {
    crm,
    lms,
    store,
    clock,
    newId: shortId,
    settings: {
      mode: config.retire.mode,
      timezone: config.docebo.timezone,
      batchSize: config.docebo.batchSize,
      matchKeys: config.match,
      rules,
      query,
    },
  };
  return { config, ctx, close: () => store.close() };
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
