// Benchmark: end-to-end latency of `roster serve` per change feed — from a Salesforce REST write
// (a contact leaves) to the Docebo write that retires them — and the Salesforce API calls each feed
// costs per hour while nothing happens.
// Usage: npm run bench:serve [-- trials]
import { acmeScenario } from '../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin, salesforceApi } from '../simulators/sim-admin.ts';
import { startLiveWorld, type LiveFeed } from '../src/cli/live-world.ts';

const TRIALS = Number(process.argv[2] ?? 12);
const POLL_INTERVAL_S = 10;
const IDLE_S = 20;
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
    for (let i = 0; i < 200; i++) {
      const s = await world.roster.service.status();
      if (s.reconcile.lastRun && !s.reconcile.running && s.queue.queued === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Leavers: in-scope contacts with exactly one Docebo user.
    const leavers = scenario.contacts
      .filter((c) => c.ref.startsWith('c-') && c.Docebo_Access__c && c.ref !== 'c-11')
      .filter((c) => scenario.users.some((u) => u.email === c.Email))
      .slice(0, TRIALS);
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
        if (performance.now() - started > 120_000)
          throw new Error(`${feed}: ${c.Email} not retired in 120 s`);
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

process.stderr.write(`Serve latency: ${TRIALS} leavers per feed, poll interval ${POLL_INTERVAL_S}s\n`);
const rows: string[][] = [];
for (const feed of ['cdc', 'outbound', 'poll'] as const) {
  process.stderr.write(`  ${feed}…\n`);
  const m = await measure(feed);
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
