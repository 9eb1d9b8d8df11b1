// Benchmark: end-to-end latency of `roster serve` per change feed — from a Salesforce REST write
// (a contact leaves) to the Docebo write that retires them — and the Salesforce API calls each feed
// costs per hour while nothing happens.
// Usage: npm run bench:serve [-- trials] [--idle seconds] [--poll-interval seconds]
//   defaults: 12 trials per feed, 20 s idle, poll interval 10 s (the README's figures).
//   Smallest (what `npm run bench:smoke` runs): `-- 1 --idle 2 --poll-interval 2`.
// Exits non-zero with a message if the service does not settle or a leaver is never retired.
import { parseArgs } from 'node:util';
import { acmeScenario } from '../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin, salesforceApi } from '../simulators/sim-admin.ts';
import { startLiveWorld, type LiveFeed } from '../src/cli/live-world.ts';

function fail(message: string): never {
  process.stderr.write(`\nbench:serve FAILED: ${message}\n`);
  process.exit(1);
}

function wholeNumber(name: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value)) fail(`${name} must be a whole number of at least 1, not ${value}`);
  return Number(value);
}

const cli = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        idle: { type: 'string', default: '20' },
        'poll-interval': { type: 'string', default: '10' },
      },
    });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
})();
if (cli.positionals.length > 1) fail(`one positional argument (trials), not: ${cli.positionals.join(' ')}`);
const TRIALS = wholeNumber('trials', cli.positionals[0] ?? '12');
const POLL_INTERVAL_S = wholeNumber('--poll-interval', cli.values['poll-interval']);
const IDLE_S = wholeNumber('--idle', cli.values.idle);
const SETTLE_S = 20;
const RETIRE_TIMEOUT_S = 120;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function measure(feed: LiveFeed) {
  const scenario = acmeScenario({ otherContacts: 200 });
  const world = await startLiveWorld({
    scenario,
    feeds: [feed],
    pollInterval: `${POLL_INTERVAL_S}s`,
    logLevel: 'silent',
  });
  try {
    // Wait for the start-up reconciliation and its queue, so the trials measure one change each.
    for (let settled = false, i = 0; !settled; i++) {
      const s = await world.roster.service.status();
      settled = Boolean(s.reconcile.lastRun) && !s.reconcile.running && s.queue.queued === 0;
      if (!settled && i >= SETTLE_S * 10)
        throw new Error(`roster serve did not settle in ${SETTLE_S} s: ${JSON.stringify(s)}`);
      if (!settled) await new Promise((r) => setTimeout(r, 100));
    }
    // Leavers: in-scope contacts with exactly one Docebo user.
    const leavers = scenario.contacts
      .filter((c) => c.ref.startsWith('c-') && c.Docebo_Access__c && c.ref !== 'c-11')
      .filter((c) => scenario.users.some((u) => u.email === c.Email))
      .slice(0, TRIALS);
    if (leavers.length < TRIALS)
      throw new Error(`the scenario has ${leavers.length} possible leavers, fewer than ${TRIALS} trials`);
    const api = salesforceApi(world.sfUrl);
    const latencies: number[] = [];
    for (const c of leavers) {
      // Spread writes over the poll cycle, as real changes would be.
      if (feed === 'poll') await new Promise((r) => setTimeout(r, Math.random() * POLL_INTERVAL_S * 1000));
      const started = performance.now();
      await api.update('Contact', world.ids[c.ref] as string, { Left_Date__c: yesterday });
      for (;;) {
        const u = (await doceboAdmin(world.doceboUrl).users()).find((x) => x.email === c.Email);
        if (u && !u.active) break;
        if (performance.now() - started > RETIRE_TIMEOUT_S * 1000)
          throw new Error(`${c.Email} left but was not retired in Docebo within ${RETIRE_TIMEOUT_S} s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      latencies.push((performance.now() - started) / 1000);
    }
    // Steady state: nothing changes; count what the feed costs against the org's daily API allowance.
    await salesforceAdmin(world.sfUrl).clearCalls();
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const idleCalls = (await salesforceAdmin(world.sfUrl).calls()).filter((c) =>
      c.path.startsWith('/services/data'),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      feed,
      trials: sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted.at(-1) ?? NaN,
      callsPerHour: Math.round((idleCalls.length * 3600) / IDLE_S),
    };
  } finally {
    await world.stop();
  }
}

process.stderr.write(
  `Serve latency: ${TRIALS} leavers per feed, poll interval ${POLL_INTERVAL_S}s, idle ${IDLE_S}s\n`,
);
const rows: string[][] = [];
for (const feed of ['cdc', 'outbound', 'poll'] as const) {
  process.stderr.write(`  ${feed}…\n`);
  const m = await measure(feed).catch((e: unknown) =>
    fail(`${feed}: ${e instanceof Error ? e.message : String(e)}`),
  );
  rows.push([
    m.feed,
    String(m.trials),
    `${m.p50.toFixed(2)} s`,
    `${m.p95.toFixed(2)} s`,
    `${m.max.toFixed(2)} s`,
    String(m.callsPerHour),
  ]);
}
const header = ['feed', 'trials', 'p50', 'p95', 'max', 'Salesforce API calls/hour when idle'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
process.stdout.write(
  [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n',
);
