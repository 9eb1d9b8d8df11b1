// A running world for `roster demo --live` and the latency benchmark: both simulators in this process,
// seeded, and `roster serve` (in this process too) listening to the chosen change feeds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDoceboSimulator } from '../../simulators/docebo/index.ts';
import { startSalesforceSimulator } from '../../simulators/salesforce/index.ts';
import type { Scenario } from '../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceAdmin } from '../../simulators/sim-admin.ts';
import { demoConfigYaml } from '../config/demo-config.ts';
import { loadConfig } from '../config/load-config.ts';
import { systemClock } from '../ports/clock.ts';
import { startServeWith, type RunningRoster } from '../compose/serve.ts';

export type LiveFeed = 'poll' | 'outbound' | 'cdc';

export interface LiveWorld {
  sfUrl: string;
  doceboUrl: string;
  configFile: string;
  ids: Record<string, string>;
  roster: RunningRoster;
  stop(): Promise<void>;
}

const OM_SECRET = 'live-demo-outbound-secret';
const ADMIN_TOKEN = 'live-demo-admin-token-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startLiveWorld(opts: {
  scenario: Scenario;
  feeds: LiveFeed[];
  pollInterval?: string;
  logLevel?: 'info' | 'warn' | 'silent';
}): Promise<LiveWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-live-'));
  const sf = await startSalesforceSimulator({
    port: 0,
    quiet: true,
    pubsub: opts.feeds.includes('cdc') ? { enabled: true, port: 0, keepAliveMs: 5000 } : undefined,
  });
  const docebo = await startDoceboSimulator({ port: 0, quiet: true });
  try {
    const { ids } = await salesforceAdmin(sf.url).seed(opts.scenario);
    await doceboAdmin(docebo.url).seed(opts.scenario.users);
    const port = await freePort();
    const orgId = (
      (await (await fetch(new URL('/__admin/outbound', sf.url))).json()) as { organizationId: string }
    ).organizationId;
    let cdcYaml = '  cdc: { enabled: false }';
    if (sf.pubsub) {
      const caFile = join(dir, 'pubsub-ca.pem');
      await writeFile(caFile, sf.pubsub.certPem);
      cdcYaml = `  cdc: { enabled: true, address: "${sf.pubsub.address}", caFile: ${JSON.stringify(caFile)} }`;
    }
    const yaml =
      demoConfigYaml({ sfUrl: sf.url, doceboUrl: docebo.url, store: `sqlite:${join(dir, 'roster.db')}` }) +
      `serve: { port: ${port}, adminToken: "${ADMIN_TOKEN}" }
feeds:
  poll: { enabled: ${opts.feeds.includes('poll')}, interval: ${opts.pollInterval ?? '2s'}, overlap: 10s }
${cdcYaml}
  outboundMessages: { enabled: ${opts.feeds.includes('outbound')}, organizationId: "${orgId}", secret: "${OM_SECRET}" }
reconcile: { schedule: "0 3 * * *", onStart: true }
queue: { window: 200ms }
`;
    const configFile = join(dir, 'roster.yaml');
    await writeFile(configFile, yaml);
    const config = await loadConfig({ path: configFile, env: {}, cwd: dir, adminApi: true });
    const roster = await startServeWith(config, systemClock, { logLevel: opts.logLevel ?? 'warn' });
    if (opts.feeds.includes('outbound'))
      await fetch(new URL('/__admin/outbound', sf.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          url: `${roster.url}/salesforce/outbound-messages?token=${OM_SECRET}`,
          objects: ['Account', 'Contact'],
        }),
      });
    return {
      sfUrl: sf.url,
      doceboUrl: docebo.url,
      configFile,
      ids,
      roster,
      stop: async () => {
        await roster.stop();
        await Promise.all([sf.close(), docebo.close()]);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await Promise.all([sf.close(), docebo.close()]);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
