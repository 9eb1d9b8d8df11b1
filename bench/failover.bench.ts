// Benchmark: how long a hot standby takes to take over. Two `roster serve` processes on one PostgreSQL
// store; the active one is killed with SIGKILL and a leaver is made in Salesforce at once; the figure is
// the time from the kill to the standby's first Docebo write (the leaver's batch). Repeated per trial.
// Usage: npm run bench:failover [-- trials] [--lease seconds]
//   defaults: 10 trials, the default writer lease of 15 s (the README's figures).
//   Smallest (what `npm run bench:smoke` runs): `-- 1 --lease 3`.
// Needs PostgreSQL (ROSTER_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
// Exits non-zero with a message if an instance does not start or the standby never takes over.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDoceboSimulator } from '../simulators/docebo/index.ts';
import { startSalesforceSimulator } from '../simulators/salesforce/index.ts';
import { acmeScenario } from '../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin, salesforceApi } from '../simulators/sim-admin.ts';
import { demoConfigYaml } from '../src/config/demo-config.ts';

const BIN = fileURLToPath(new URL('../bin/roster.js', import.meta.url));
const TOKEN = 'failover-bench-admin-token-0123456789';
const PG = process.env.ROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function fail(message: string): never {
  process.stderr.write(`\nbench:failover FAILED: ${message}\n`);
  process.exit(1);
}

const cli = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { lease: { type: 'string', default: '15' } } });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
})();
const whole = (name: string, v: string) =>
  /^[1-9]\d*$/.test(v) ? Number(v) : fail(`${name} must be a whole number of at least 1, not ${v}`);
const TRIALS = whole('trials', cli.positionals[0] ?? '10');
const LEASE_S = whole('--lease', cli.values.lease);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function admin(db: string, sql: string) {
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  try {
    await client.query(sql.replace('$db', db));
  } finally {
    await client.end();
  }
}

interface Serve {
  child: ChildProcess;
  url: Promise<string>;
}

function serve(config: string): Serve {
  const child = spawn(process.execPath, [BIN, 'serve', '-c', config], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ROSTER_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('close', (code) => reject(new Error(`roster serve exited with ${code} before listening`)));
  });
  return { child, url };
}

async function roleOf(s: Serve): Promise<string> {
  const res = await fetch(`${await s.url}/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as {
    role: string;
    reconcile: { lastRun: unknown };
    queue: { queued: number };
  };
  return body.role === 'active' && (!body.reconcile.lastRun || body.queue.queued > 0)
    ? 'starting'
    : body.role;
}

async function until(what: string, seconds: number, check: () => Promise<boolean>) {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(100)) if (await check()) return;
  throw new Error(`${what} did not happen within ${seconds} s`);
}

async function trial(n: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-failover-'));
  const db = `roster_failover_${process.pid}_${randomBytes(4).toString('hex')}`;
  let firstWriteAt: number | null = null;
  let armed = false;
  const sf = await startSalesforceSimulator({ port: 0, quiet: true });
  const docebo = await startDoceboSimulator({
    port: 0,
    quiet: true,
    onCall: (c) => {
      if (armed && firstWriteAt === null && c.method === 'POST' && c.path === '/manage/v1/user/batch')
        firstWriteAt = performance.now();
    },
  });
  const serves: Serve[] = [];
  try {
    await admin(db, 'create database $db');
    const scenario = acmeScenario({ otherContacts: 50 });
    const { ids } = await salesforceAdmin(sf.url).seed(scenario);
    await doceboAdmin(docebo.url).seed(scenario.users);
    const url = new URL(PG);
    url.pathname = `/${db}`;
    const config = join(dir, 'roster.yaml');
    await writeFile(
      config,
      demoConfigYaml({ sfUrl: sf.url, doceboUrl: docebo.url, store: url.toString() }) +
        `serve: { port: 0, leaseTime: ${LEASE_S}s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { interval: 1s, overlap: 5s }
queue: { window: 200ms }
`,
    );
    const active = serve(config);
    serves.push(active);
    await until('the first instance becoming active', 60, async () => (await roleOf(active)) === 'active');
    const standby = serve(config);
    serves.push(standby);
    await until('the second instance standing by', 60, async () => (await roleOf(standby)) === 'standby');
    armed = true;
    active.child.kill('SIGKILL');
    const killedAt = performance.now();
    await salesforceApi(sf.url).update('Contact', ids.charlie as string, { Left_Date__c: yesterday });
    await until('the standby writing to Docebo', LEASE_S + 60, async () => firstWriteAt !== null);
    const seconds = ((firstWriteAt as unknown as number) - killedAt) / 1000;
    process.stderr.write(`  trial ${n}: ${seconds.toFixed(2)} s\n`);
    return seconds;
  } finally {
    for (const s of serves) s.child.kill('SIGKILL');
    await Promise.all([sf.close(), docebo.close()]);
    await admin(db, 'drop database if exists $db with (force)').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

process.stderr.write(`Failover: ${TRIALS} trial(s), writer lease ${LEASE_S} s\n`);
const times: number[] = [];
for (let i = 1; i <= TRIALS; i++) {
  try {
    times.push(await trial(i));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
}
times.sort((a, b) => a - b);
const p50 = times[Math.ceil(times.length / 2) - 1] as number;
const max = times[times.length - 1] as number;
process.stdout.write(
  [
    "| writer lease | trials | kill -9 → standby's first Docebo write, p50 | max |",
    '|--------------|--------|------------------------------------------|-----|',
    `| ${LEASE_S} s | ${TRIALS} | ${p50.toFixed(1)} s | ${max.toFixed(1)} s |`,
  ].join('\n') + '\n',
);
process.exit(0);
