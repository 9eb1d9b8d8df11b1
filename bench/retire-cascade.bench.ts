// Benchmark: what retiring a whole account costs, Roster against the naive one-call-per-user strategy,
// measured in the same run against the same Docebo simulator. Both run as separate processes so that
// wall time and peak memory are theirs alone. Prints Docebo calls, calls per retired user, wall time,
// peak memory and the time each would take at Docebo's real 1,000 calls/hour.
// Usage: npm run bench:cascade [-- 10 1000 10000]   (sizes: contacts in the account; 10 is the smallest
// and what `npm run bench:smoke` runs). Exits non-zero with a message if either strategy fails or
// leaves any user unretired: the figures are only worth printing when the whole account is retired.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDoceboSimulator } from '../simulators/docebo/index.ts';
import { startSalesforceSimulator } from '../simulators/salesforce/index.ts';
import { bigAccountScenario } from '../simulators/scenarios/big-account-scenario.ts';
import { doceboAdmin, salesforceAdmin } from '../simulators/sim-admin.ts';
import { demoConfigYaml } from '../src/config/demo-config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const bad = args.filter((a) => !/^[1-9]\d*$/.test(a));
if (bad.length > 0) fail(`sizes are whole numbers of contacts, e.g. 10 1000; not: ${bad.join(' ')}`);
const SIZES = args.length > 0 ? args.map(Number) : [10, 1000, 10000];
const DOCEBO_CALLS_PER_HOUR = 1000;

// The benchmark measures what retiring a whole account costs, so nothing may be held for approval: the
// demo's guards (DEMO_GUARDS) would hold this cascade and Roster would exit 5 having retired nobody.
const OPEN_GUARDS =
  'guards: { maxRetirementsPerRun: 10000000, maxRetirementsPercent: 100, maxPerAccount: 10000000, minSourceShare: 0 }\n';

function fail(message: string): never {
  process.stderr.write(`\nbench:cascade FAILED: ${message}\n`);
  process.exit(1);
}

interface Measured {
  calls: number;
  writes: number;
  wallMs: number;
  maxRssMb: number;
}

function runMeasured(args: string[]): Promise<{ wallMs: number; maxRssMb: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', here('./report-max-rss.mjs'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      const rss = /bench-max-rss-kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) {
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
        return reject(
          new Error(
            `${args.join(' ')} exited ${code ?? signal}` +
              (code === 5 ? ' (guards held changes for approval)' : '') +
              `; last output:\n${output}`,
          ),
        );
      }
      resolve({ wallMs, maxRssMb: Number(rss[1]) / 1024 });
    });
  });
}

const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function measure(size: number, strategy: 'roster' | 'naive'): Promise<Measured> {
  const scenario = bigAccountScenario(size);
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-'));
  const sf = await startSalesforceSimulator({ port: 0, quiet: true });
  const docebo = await startDoceboSimulator({ port: 0, quiet: true, callsPerHour: 0 });
  try {
    const { ids } = await salesforceAdmin(sf.url).seed(scenario);
    await salesforceAdmin(sf.url).update('Account', ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: yesterday,
    });
    await doceboAdmin(docebo.url).seed(scenario.users);
    await doceboAdmin(docebo.url).clearCalls();

    let run: { wallMs: number; maxRssMb: number };
    if (strategy === 'roster') {
      const config = join(dir, 'roster.yaml');
      await writeFile(
        config,
        demoConfigYaml({
          sfUrl: sf.url,
          doceboUrl: docebo.url,
          store: `sqlite:${join(dir, 'roster.db')}`,
          guards: OPEN_GUARDS,
        }),
      );
      run = await runMeasured([here('../bin/roster.js'), 'apply', '--yes', '-c', config]);
    } else {
      run = await runMeasured([
        '--import',
        'tsx',
        here('./naive-retire.ts'),
        docebo.url,
        'initrode.example',
        yesterday,
      ]);
    }
    // Retired means both: deactivated and expiring on the account's retirement date.
    const users = await doceboAdmin(docebo.url).users();
    const left = users.filter((u) => u.active || u.expiration_date !== yesterday);
    if (users.length !== size || left.length > 0)
      throw new Error(
        `${strategy} left ${left.length} of ${users.length} users unretired (expected ${size} retired)` +
          left
            .slice(0, 3)
            .map((u) => `; ${u.username} active=${u.active} expiration_date=${u.expiration_date}`)
            .join(''),
      );
    const calls = await doceboAdmin(docebo.url).calls();
    return {
      calls: calls.length,
      writes: calls.filter((c) => c.method !== 'GET' && !c.path.includes('oauth2')).length,
      ...run,
    };
  } finally {
    await Promise.all([sf.close(), docebo.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

// Paced at Docebo's real limit, each call costs 3.6 s of the hour.
const atRealLimit = (calls: number) => {
  const seconds = (calls * 3600) / DOCEBO_CALLS_PER_HOUR;
  return seconds < 120
    ? `${seconds.toFixed(0)} s`
    : seconds < 7200
      ? `${(seconds / 60).toFixed(0)} min`
      : `${(seconds / 3600).toFixed(1)} h`;
};

const rows: string[][] = [];
process.stderr.write(`Benchmark on ${today}: retiring one account of N contacts (Docebo batch size 100)\n`);
for (const size of SIZES) {
  for (const strategy of ['roster', 'naive'] as const) {
    process.stderr.write(`  ${strategy} × ${size}…\n`);
    const m = await measure(size, strategy).catch((e: unknown) =>
      fail(`${strategy} × ${size}: ${e instanceof Error ? e.message : String(e)}`),
    );
    rows.push([
      String(size),
      strategy,
      String(m.calls),
      String(m.writes),
      (m.calls / size).toFixed(2),
      `${(m.wallMs / 1000).toFixed(2)} s`,
      `${m.maxRssMb.toFixed(0)} MB`,
      atRealLimit(m.calls),
    ]);
  }
}

const header = [
  'contacts',
  'strategy',
  'Docebo calls',
  'writes',
  'calls/user',
  'wall time',
  'peak RSS',
  'at 1,000 calls/h',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
process.stdout.write(
  [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n',
);
