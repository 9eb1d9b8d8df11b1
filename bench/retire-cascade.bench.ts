// Benchmark: what retiring a whole account costs, Roster against the naive one-call-per-user strategy,
// measured in the same run against the same Docebo simulator. Both run as separate processes so that
// wall time and peak memory are theirs alone. Prints Docebo calls, calls per retired user, wall time,
// peak memory and the time each would take at Docebo's real 1,000 calls/hour.
// Usage: npm run bench [-- 10 1000 10000]
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
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [10, 1000, 10000];
const DOCEBO_CALLS_PER_HOUR = 1000;

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
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const rss = /bench-max-rss-kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
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
        demoConfigYaml({ sfUrl: sf.url, doceboUrl: docebo.url, store: `sqlite:${join(dir, 'roster.db')}` }),
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
    const users = await doceboAdmin(docebo.url).users();
    const left = users.filter((u) => u.active && u.expiration_date !== yesterday).length;
    if (strategy === 'roster' && left > 0) throw new Error(`${left} users were not retired by Roster`);
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
    const m = await measure(size, strategy);
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
