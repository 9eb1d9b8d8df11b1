// One end-to-end world: both simulators spawned as `roster sim …` processes, seeded with a scenario,
// a roster.yaml and a SQLite store in a temporary folder, and the CLI run as a spawned process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Scenario } from '../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin } from '../../simulators/sim-admin.ts';
import { demoConfigYaml } from '../../src/config/demo-config.ts';
import { runCli, spawnSimulator, type CliResult, type SpawnedSimulator } from './cli.ts';

export interface World {
  dir: string;
  configFile: string;
  dbFile: string;
  sfUrl: string;
  doceboUrl: string;
  ids: Record<string, string>;
  sf: ReturnType<typeof salesforceAdmin>;
  docebo: ReturnType<typeof doceboAdmin>;
  /** Runs `roster <command> -c roster.yaml …`. */
  roster(command: string, args?: string[], env?: Record<string, string>): Promise<CliResult>;
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
    doceboArgs?: string[];
    salesforceArgs?: string[];
    extraYaml?: string;
    /** A `guards:` block; by default the guards are wide open, so tests about other things are not held. */
    guards?: string;
  } = {},
): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-e2e-'));
  const sims: SpawnedSimulator[] = [];
  try {
    sims.push(
      await spawnSimulator('salesforce', opts.salesforceArgs),
      await spawnSimulator('docebo', opts.doceboArgs),
    );
  } catch (e) {
    await Promise.all(sims.map((s) => s.stop()));
    throw e;
  }
  const [sfSim, doceboSim] = sims as [SpawnedSimulator, SpawnedSimulator];
  const sf = salesforceAdmin(sfSim.url);
  const docebo = doceboAdmin(doceboSim.url);
  const { ids } = await sf.seed(scenario);
  await docebo.seed(scenario.users);

  const configFile = join(dir, 'roster.yaml');
  const dbFile = join(dir, 'roster.db');
  let yaml = demoConfigYaml({
    sfUrl: sfSim.url,
    doceboUrl: doceboSim.url,
    store: `sqlite:${dbFile}`,
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
    doceboUrl: doceboSim.url,
    ids,
    sf,
    docebo,
    roster: (command, args = [], env = {}) => runCli([command, '-c', configFile, ...args], { cwd: dir, env }),
    journal: () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return db.prepare('SELECT username, outcome, error, run_id FROM journal ORDER BY id').all() as {
          username: string;
          outcome: string;
          error: string | null;
          run_id: string;
        }[];
      } finally {
        db.close();
      }
    },
    stop: async () => {
      await Promise.all(sims.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Today in UTC, as the demo config's `docebo.timezone: UTC` makes Roster see it. */
export function todayUtc(offsetDays = 0): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}
