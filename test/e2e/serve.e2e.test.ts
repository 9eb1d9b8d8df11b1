// `roster serve` as a process: what only a process can show — SIGTERM and its exit code, and kill -9 at
// the worst moments (a batch in flight, a change waiting in the queue or in the window) followed by a
// restart that loses nothing. Spawned service, simulators in the test process, the journal from the
// SQLite file. Everything else about the service runs in process, in virtual time (test/service).
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { bigAccountScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall, salesforceApi } from '../../simulators/sim-admin.ts';
import type { ServiceStatus } from '../../src/app/service/service-status.ts';
import { runCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';
import { ADMIN_TOKEN, eventually, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';

const SERVE_YAML = (feeds: string) => `
serve: { port: 0, leaseTime: 3s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
${feeds}
reconcile: { schedule: "0 3 * * *", onStart: true }
queue: { window: 200ms }
`;
const POLL = '  poll: { interval: 1s, overlap: 5s }';

let world: World | undefined;
let serve: ServeProcess | undefined;
afterEach(async () => {
  await serve?.kill();
  await world?.stop();
  serve = undefined;
  world = undefined;
});

async function ready(s: ServeProcess): Promise<ServiceStatus> {
  return eventually(async () => {
    const r = await s.admin<ServiceStatus>('GET', '/admin/status');
    return r.body.reconcile.lastRun && r.body.queue.queued === 0 ? r.body : undefined;
  });
}

describe('roster serve as a process', () => {
  it('SIGTERM: exits 0 after logging that it stopped; the admin token is never logged; roster status reads it', async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }), { extraYaml: SERVE_YAML(POLL) });
    serve = await startServeProcess(world.configFile);
    await ready(serve);
    const status = await runCli(['status', '-c', world.configFile, '--url', serve.url, '--json'], {
      env: { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as ServiceStatus).feeds.map((f) => f.feed)).toEqual(['poll']);

    expect(await serve.stop()).toBe(0);
    expect(serve.logs()).toContain('roster serve stopped');
    expect(serve.logs()).not.toContain(ADMIN_TOKEN);
  });

  it('kill -9 while applying a batch: after a restart it converges with no change lost and none journaled twice', async () => {
    world = await startWorld(bigAccountScenario(300), {
      batchSize: 20,
      extraYaml: SERVE_YAML(POLL),
    });
    serve = await startServeProcess(world.configFile);
    await ready(serve);
    await world.docebo.setFaults({ latencyMs: 300 });
    await salesforceApi(world.sfUrl).update('Account', world.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await eventually(async () =>
      (await world!.docebo.calls()).filter(isWriteCall).length >= 3 ? true : undefined,
    );
    await serve.kill();
    await world.docebo.clearFaults();
    const before = (await world.docebo.users()).filter((u) => !u.active).length;
    expect(before).toBeLessThan(300);

    serve = await startServeProcess(world.configFile);
    await eventually(async () => ((await world!.docebo.users()).every((u) => !u.active) ? true : undefined));
    await ready(serve);
    const journal = world.journal();
    expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
    const applied = journal.filter((j) => j.outcome === 'applied').map((j) => j.username);
    expect(new Set(applied).size).toBe(300);
    expect(applied).toHaveLength(300);
  });
});

describe('roster serve keeps its promises through failures', () => {
  it('kill -9 while a polled change waits in the queue: the restarted service (no start-up reconciliation) still retires Charlie', async () => {
    const yaml = SERVE_YAML(POLL)
      .replace('onStart: true', 'onStart: false')
      .replace('window: 200ms', 'window: 4s');
    world = await startWorld(acmeScenario({ otherContacts: 5 }), { extraYaml: yaml });
    serve = await startServeProcess(world.configFile);
    await salesforceApi(world.sfUrl).update('Contact', world.ids.charlie as string, {
      Left_Date__c: todayUtc(-1),
    });
    // The poll has queued the contact (its checkpoint moved past it) but the window has not closed yet.
    await eventually(async () => {
      const q = await serve!.admin<{ jobs: { key: string }[] }>('GET', '/admin/queue');
      return q.body.jobs.some((j) => j.key === world!.ids.charlie) ? true : undefined;
    });
    await serve.kill();
    expect((await world.docebo.users()).find((u) => u.username.startsWith('charlie'))?.active).toBe(true);

    serve = await startServeProcess(world.configFile);
    const charlie = await eventually(async () => {
      const u = (await world!.docebo.users()).find((x) => x.username.startsWith('charlie'));
      return u && !u.active ? u : undefined;
    });
    expect(charlie.expiration_date).toBe(todayUtc(-1));
    expect(world.journal().filter((j) => j.username.startsWith('charlie'))).toHaveLength(1);
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('roster serve with outbound messages', () => {
  const SECRET = 'om-shared-secret-0123456789';

  async function omWorld(extra: { window?: string } = {}) {
    const port = await freePort();
    // The org id comes from the simulator after it starts, so the config reads it from the environment.
    world = await startWorld(acmeScenario({ otherContacts: 20 }), {
      extraYaml: `
serve: { port: ${port}, leaseTime: 3s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  outboundMessages: { enabled: true, organizationId: "\${SF_ORG_ID}", secret: "${SECRET}" }
reconcile: { schedule: "0 3 * * *", onStart: false }
queue: { window: ${extra.window ?? '200ms'} }
`,
    });
    const info = (await (await fetch(new URL('/__admin/outbound', world.sfUrl))).json()) as {
      organizationId: string;
    };
    const env = { SF_ORG_ID: info.organizationId };
    const endpoint = `http://127.0.0.1:${port}/salesforce/outbound-messages?token=${SECRET}`;
    await fetch(new URL('/__admin/outbound', world.sfUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: endpoint, objects: ['Account', 'Contact'] }),
    });
    return { env, port };
  }

  it('loses nothing while Roster is down or killed: Salesforce retries until the restarted service acknowledges', async () => {
    const { env } = await omWorld({ window: '4s' });
    serve = await startServeProcess(world!.configFile, env);
    await serve.kill();
    // Roster is down: Salesforce queues the message and retries.
    await salesforceApi(world!.sfUrl).update('Contact', world!.ids.charlie as string, {
      Left_Date__c: todayUtc(-1),
    });
    await new Promise((r) => setTimeout(r, 1000));
    serve = await startServeProcess(world!.configFile, env);
    // Acknowledged and queued, then killed inside the micro-batch window.
    await eventually(async () => {
      const q = await serve!.admin<{ jobs: { key: string }[] }>('GET', '/admin/queue');
      return q.body.jobs.some((j) => j.key === world!.ids.charlie) ? true : undefined;
    });
    await serve.kill();
    serve = await startServeProcess(world!.configFile, env);
    const charlie = await eventually(async () => {
      const u = (await world!.docebo.users()).find((x) => x.username.startsWith('charlie'));
      return u && !u.active ? u : undefined;
    });
    expect(charlie.expiration_date).toBe(todayUtc(-1));
    expect(
      world!.journal().filter((j) => j.username.startsWith('charlie') && j.outcome === 'applied'),
    ).toHaveLength(1);
  });
});

describe('roster serve with Change Data Capture', () => {
  async function cdcWorld(opts: { window?: string; onStart?: boolean } = {}) {
    world = await startWorld(acmeScenario({ otherContacts: 20 }), {
      salesforce: { pubsub: { enabled: true, port: 0 } },
    });
    const pubsub = (await (await fetch(new URL('/__admin/pubsub', world.sfUrl))).json()) as {
      address: string;
      certPem: string;
    };
    const caFile = `${world.dir}/pubsub-ca.pem`;
    const { appendFile, writeFile } = await import('node:fs/promises');
    await writeFile(caFile, pubsub.certPem);
    await appendFile(
      world.configFile,
      `
serve: { port: 0, leaseTime: 3s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  cdc: { enabled: true, address: "${pubsub.address}", caFile: "${caFile}" }
reconcile: { schedule: "0 3 * * *", onStart: ${opts.onStart ?? true} }
queue: { window: ${opts.window ?? '200ms'} }
`,
    );
  }

  it('kill -9 while a CDC change waits in the queue: the replay id was stored with the work, nothing is lost', async () => {
    await cdcWorld({ window: '4s', onStart: false });
    serve = await startServeProcess(world!.configFile);
    await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.feeds[0]?.state === 'ok' ? true : undefined;
    });
    await salesforceApi(world!.sfUrl).update('Contact', world!.ids.charlie as string, {
      Left_Date__c: todayUtc(-1),
    });
    await eventually(async () => {
      const q = await serve!.admin<{ jobs: { key: string }[] }>('GET', '/admin/queue');
      return q.body.jobs.some((j) => j.key === world!.ids.charlie) ? true : undefined;
    });
    await serve.kill();
    serve = await startServeProcess(world!.configFile);
    const charlie = await eventually(async () => {
      const u = (await world!.docebo.users()).find((x) => x.username.startsWith('charlie'));
      return u && !u.active ? u : undefined;
    });
    expect(charlie.expiration_date).toBe(todayUtc(-1));
    expect(world!.journal().filter((j) => j.username.startsWith('charlie'))).toHaveLength(1);
  });
});
