// One end-to-end world: both simulators running in this process on free loopback ports (real HTTP),
// seeded with a scenario, a roster.yaml and a SQLite store in a temporary folder. The CLI runs
// in-process by default; `spawnRoster` runs it as a real process for the tests that need one.
import { readJournal } from './journal-rows.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startDoceboSimulator,
  type CallRecord,
  type DoceboSimulatorOptions,
  type RunningDoceboSimulator,
} from '../../simulators/docebo/index.ts';
import {
  startSalesforceSimulator,
  type RunningSalesforceSimulator,
  type SalesforceSimulatorOptions,
} from '../../simulators/salesforce/index.ts';
import type { Scenario } from '../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin } from '../../simulators/sim-admin.ts';
import { demoConfigYaml } from '../../src/config/demo-config.ts';
import { runCli, runCliInProcess, type CliResult } from './cli.ts';

export interface World {
  dir: string;
  configFile: string;
  dbFile: string;
  sfUrl: string;
  doceboUrl: string;
  ids: Record<string, string>;
  sf: ReturnType<typeof salesforceAdmin>;
  docebo: ReturnType<typeof doceboAdmin>;
  /** Runs `roster <command> -c roster.yaml …` in this process. */
  roster(command: string, args?: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The same as a spawned `node bin/roster.js` process. */
  spawnRoster(command: string, args?: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Resolves once the Docebo simulator's calls satisfy `enough`, checked on each call as it arrives. */
  doceboCallsUntil(enough: (calls: CallRecord[]) => boolean): Promise<void>;
  /** Journal rows straight from the SQLite file. */
  journal(): { username: string; outcome: string; error: string | null; run_id: string }[];
  stop(): Promise<void>;
}

export const OPEN_GUARDS =
  'guards: { maxRetirementsPerRun: 10000000, maxRetirementsPercent: 100, maxPerAccount: 10000000, minSourceShare: 0 }\n';

export async function startWorld(
  scenario: Scenario,
  opts: {
    batchSize?: number;
    docebo?: Omit<DoceboSimulatorOptions, 'port' | 'onCall'>;
    salesforce?: Omit<SalesforceSimulatorOptions, 'port'>;
    extraYaml?: string;
    /** A `guards:` block; by default the guards are wide open, so tests about other things are not held. */
    guards?: string;
    /** The store URL; a SQLite file in the world's folder by default. */
    store?: string;
  } = {},
): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-e2e-'));
  const waiters = new Set<() => void>();
  let sfSim: RunningSalesforceSimulator | undefined;
  let doceboSim: RunningDoceboSimulator | undefined;
  const stopSimulators = async () => {
    await Promise.all([sfSim?.close(), doceboSim?.close()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    sfSim = await startSalesforceSimulator({ quiet: true, ...opts.salesforce, port: 0 });
    doceboSim = await startDoceboSimulator({
      quiet: true,
      ...opts.docebo,
      port: 0,
      onCall: () => waiters.forEach((check) => check()),
    });
  } catch (e) {
    await stopSimulators();
    throw e;
  }
  const docebo = doceboSim;
  const sf = salesforceAdmin(sfSim.url);
  const doceboClient = doceboAdmin(docebo.url);
  const { ids } = await sf.seed(scenario);
  await doceboClient.seed(scenario.users);

  const configFile = join(dir, 'roster.yaml');
  const dbFile = join(dir, 'roster.db');
  let yaml = demoConfigYaml({
    sfUrl: sfSim.url,
    doceboUrl: docebo.url,
    store: opts.store ?? `sqlite:${dbFile}`,
    // A test that sets its own `guards:` in extraYaml keeps it (YAML refuses the key twice).
    guards: opts.guards ?? (/^guards:/m.test(opts.extraYaml ?? '') ? '' : OPEN_GUARDS),
  });
  if (opts.batchSize) yaml = yaml.replace('batchSize: 100', `batchSize: ${opts.batchSize}`);
  await writeFile(configFile, yaml + (opts.extraYaml ?? ''));

  return {
    dir,
    configFile,
    dbFile,
    sfUrl: sfSim.url,
    doceboUrl: docebo.url,
    ids,
    sf,
    docebo: doceboClient,
    roster: (command, args = [], env = {}) =>
      runCliInProcess([command, '-c', configFile, ...args], { cwd: dir, env }),
    spawnRoster: (command, args = [], env = {}) =>
      runCli([command, '-c', configFile, ...args], { cwd: dir, env }),
    doceboCallsUntil: (enough) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!enough(docebo.calls())) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    journal: () => readJournal(dbFile),
    stop: stopSimulators,
  };
}

/** Today in UTC, as the demo config's `docebo.timezone: UTC` makes Roster see it. */
export function todayUtc(offsetDays = 0): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}
