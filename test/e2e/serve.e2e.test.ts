// `roster serve` end to end: spawned service, simulators in the test process, writes through
// Salesforce's REST API, results read from the Docebo simulator, the journal from the SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { bigAccountScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall, salesforceApi } from '../../simulators/sim-admin.ts';
import type { ServiceStatus } from '../../src/app/service/service-status.ts';
import { runCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';
import { ADMIN_TOKEN, eventually, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';

const SERVE_YAML = (feeds: string) => `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
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

const acmeRetired = async (w: World) => {
  const users = (await w.docebo.users()).filter(
    (u) => u.username.endsWith('@acme.example') && !u.username.startsWith('snoopy'),
  );
  return users.length > 0 && users.every((u) => !u.active) ? users : undefined;
};

async function ready(s: ServeProcess): Promise<ServiceStatus> {
  return eventually(async () => {
    const r = await s.admin<ServiceStatus>('GET', '/admin/status');
    return r.body.reconcile.lastRun && r.body.queue.queued === 0 ? r.body : undefined;
  }, 40_000);
}

describe('roster serve', () => {
  it('polling: ACME inactivated through the REST API is retired in Docebo within seconds; SIGTERM exits 0', async () => {
    world = await startWorld(acmeScenario({ otherContacts: 40 }), { extraYaml: SERVE_YAML(POLL) });
    serve = await startServeProcess(world.configFile);
    await ready(serve);

    const started = Date.now();
    await salesforceApi(world.sfUrl).update('Account', world.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    const retired = await eventually(() => acmeRetired(world!), 15_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(retired.every((u) => u.expiration_date === todayUtc(-1))).toBe(true);
    // Only the people of ACME: the contractor outside the scope is untouched.
    const snoopy = (await world.docebo.users()).find((u) => u.username.startsWith('snoopy'));
    expect(snoopy).toMatchObject({ active: true, expiration_date: null });

    const status = await runCli(['status', '-c', world.configFile, '--url', serve.url, '--json'], {
      env: { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as ServiceStatus;
    expect(s.feeds.map((f) => f.feed)).toEqual(['poll']);
    expect(s.changes.applied).toBeGreaterThanOrEqual(12);

    // Someone reactivates Lucy in Docebo by hand; the reconciliation (triggered through the admin API)
    // reports it as drift and retires her again.
    await world.docebo.seed([
      {
        username: 'lucy.vanpelt@acme.example',
        email: 'lucy.vanpelt@acme.example',
        first_name: 'Lucy',
        last_name: 'van Pelt',
        active: true,
        expiration_date: null,
      },
    ]);
    const before = s.reconcile.lastRun?.at;
    expect((await serve.admin<{ accepted: boolean }>('POST', '/admin/reconcile')).body.accepted).toBe(true);
    const run = await eventually(async () => {
      const r = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body.reconcile.lastRun;
      return r && r.at !== before ? r : undefined;
    });
    expect(run).toMatchObject({ changes: 1, driftInDocebo: 1, missedByFeeds: 0 });
    expect((await world.docebo.users()).find((u) => u.username.startsWith('lucy'))?.active).toBe(false);

    expect(await serve.stop()).toBe(0);
    expect(serve.logs()).toContain('roster serve stopped');
    expect(serve.logs()).not.toContain(ADMIN_TOKEN);
  });

  it('refuses unauthenticated admin calls and changes nothing', async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }), { extraYaml: SERVE_YAML(POLL) });
    serve = await startServeProcess(world.configFile);
    await ready(serve);
    await world.docebo.clearCalls();
    for (const [method, path] of [
      ['POST', '/admin/reconcile'],
      ['POST', '/admin/queue/retry'],
      ['GET', '/admin/status'],
    ] as const) {
      const res = await fetch(new URL(path, serve.url), {
        method,
        headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status, path).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect((await world.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect((await fetch(new URL('/healthz', serve.url))).status).toBe(200);
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
    await eventually(
      async () => ((await world!.docebo.users()).every((u) => !u.active) ? true : undefined),
      30_000,
    );
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

  it('survives an expired Salesforce session and REQUEST_LIMIT_EXCEEDED: the feed reports it, recovers, and nothing is lost', async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }), { extraYaml: SERVE_YAML(POLL) });
    serve = await startServeProcess(world.configFile);
    await ready(serve);
    await fetch(new URL('/__admin/expire-sessions', world.sfUrl), { method: 'POST' });
    await fetch(new URL('/__admin/faults', world.sfUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        respond: [{ status: 403, times: 4, errorCode: 'REQUEST_LIMIT_EXCEEDED', path: '/query' }],
      }),
    });
    await salesforceApi(world.sfUrl).update('Contact', world.ids.charlie as string, {
      Left_Date__c: todayUtc(-2),
    });
    const degraded = await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.feeds[0]?.consecutiveFailures ? s : undefined;
    });
    expect(degraded.feeds[0]?.error).toMatch(/REQUEST_LIMIT_EXCEEDED|limit/i);
    const charlie = await eventually(async () => {
      const u = (await world!.docebo.users()).find((x) => x.username.startsWith('charlie'));
      return u && !u.active ? u : undefined;
    });
    expect(charlie.expiration_date).toBe(todayUtc(-2));
    const healthy = await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.feeds[0]?.state === 'ok' ? s : undefined;
    });
    expect(healthy.feeds[0]?.consecutiveFailures).toBe(0);
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
serve: { port: ${port}, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
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

  it('retires ACME within seconds of a REST write, with duplicated and reordered messages', async () => {
    const { env } = await omWorld();
    serve = await startServeProcess(world!.configFile, env);
    await fetch(new URL('/__admin/outbound/faults', world!.sfUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ duplicate: true, reorder: true }),
    });
    const started = Date.now();
    await salesforceApi(world!.sfUrl).update('Account', world!.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await salesforceApi(world!.sfUrl).update('Contact', world!.ids.charlie as string, {
      Left_Date__c: todayUtc(-3),
    });
    await eventually(() => acmeRetired(world!), 15_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    const journal = world!.journal().filter((j) => j.outcome === 'applied');
    // Each person once, whatever the duplicates; Charlie from his own, earlier date.
    expect(new Set(journal.map((j) => j.username)).size).toBe(journal.length);
    const charlie = (await world!.docebo.users()).find((u) => u.username.startsWith('charlie'));
    expect(charlie?.expiration_date).toBe(todayUtc(-3));
    const sender = (await (await fetch(new URL('/__admin/outbound', world!.sfUrl))).json()) as {
      queue: number;
    };
    expect(sender.queue).toBe(0); // every message was acknowledged
  });

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

describe('roster serve under a Docebo 429 storm', () => {
  it('drains a 5,000-user cascade within the hourly budget, the leaver first', async () => {
    const scenario = bigAccountScenario(5000);
    scenario.accounts.push({
      ref: 'acme',
      Name: 'ACME Corporation',
      Status__c: 'Active',
      Retired_Date__c: null,
    });
    scenario.contacts.push({
      ref: 'charlie',
      accountRef: 'acme',
      FirstName: 'Charlie',
      LastName: 'Brown',
      Email: 'charlie.brown@acme.example',
      Docebo_Access__c: true,
      Left_Date__c: null,
    });
    scenario.users.push({
      username: 'charlie.brown@acme.example',
      email: 'charlie.brown@acme.example',
      first_name: 'Charlie',
      last_name: 'Brown',
      active: true,
      expiration_date: null,
    });
    world = await startWorld(scenario, { extraYaml: SERVE_YAML(POLL) });
    serve = await startServeProcess(world.configFile);
    await ready(serve);
    await world.docebo.clearCalls();
    await world.docebo.setFaults({
      respond: [{ status: 429, times: 12, retryAfterSeconds: 1, path: '/manage/v1/user/batch' }],
    });
    const api = salesforceApi(world.sfUrl);
    await api.update('Account', world.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await api.update('Contact', world.ids.charlie as string, { Left_Date__c: todayUtc(-1) });

    await eventually(
      async () => ((await world!.docebo.users()).every((u) => !u.active) ? true : undefined),
      90_000,
      500,
    );
    const journal = world.journal().filter((j) => j.outcome === 'applied');
    expect(journal).toHaveLength(5001);
    // The leaver does not wait for the cascade: he goes out in the first round after his change arrives
    // (the two changes may reach Roster in the same poll or one poll apart).
    const charlieAt = journal.findIndex((j) => j.username === 'charlie.brown@acme.example');
    expect(charlieAt).toBeGreaterThanOrEqual(0);
    expect(charlieAt).toBeLessThan(600);
    const calls = await world.docebo.calls();
    expect(calls.filter((c) => c.status === 429)).toHaveLength(12); // only the storm: Roster never caused one
    expect(calls.length).toBeLessThan(1000);
    expect(calls.filter(isWriteCall).length).toBeLessThanOrEqual(Math.ceil(5001 / 100) + 12);
  }, 180_000);
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
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  cdc: { enabled: true, address: "${pubsub.address}", caFile: "${caFile}" }
reconcile: { schedule: "0 3 * * *", onStart: ${opts.onStart ?? true} }
queue: { window: ${opts.window ?? '200ms'} }
`,
    );
  }

  it('retires ACME within seconds of a REST write', async () => {
    await cdcWorld();
    serve = await startServeProcess(world!.configFile);
    await ready(serve);
    const started = Date.now();
    await salesforceApi(world!.sfUrl).update('Account', world!.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await eventually(() => acmeRetired(world!), 15_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    const status = (await serve.admin<ServiceStatus>('GET', '/admin/status')).body;
    expect(status.feeds.map((f) => [f.feed, f.state])).toEqual([['cdc', 'ok']]);
  });

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

  it('GAP_OVERFLOW and an expired replay id make the service reconcile in full', async () => {
    await cdcWorld({ onStart: false });
    serve = await startServeProcess(world!.configFile);
    await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.feeds[0]?.state === 'ok' ? true : undefined;
    });
    expect((await serve.admin<ServiceStatus>('GET', '/admin/status')).body.reconcile.lastRun).toBeNull();
    await fetch(new URL('/__admin/pubsub/overflow', world!.sfUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entity: 'Account' }),
    });
    const first = await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.reconcile.lastRun ? s.reconcile.lastRun : undefined;
    });

    // Roster is down longer than the retention: its stored replay id is gone when it comes back.
    await serve.stop();
    await salesforceApi(world!.sfUrl).update('Contact', world!.ids.charlie as string, {
      Left_Date__c: todayUtc(-1),
    });
    await fetch(new URL('/__admin/pubsub/expire', world!.sfUrl), { method: 'POST' });
    serve = await startServeProcess(world!.configFile);
    const second = await eventually(async () => {
      const s = (await serve!.admin<ServiceStatus>('GET', '/admin/status')).body;
      return s.reconcile.lastRun && s.reconcile.lastRun.at !== first.at ? s.reconcile.lastRun : undefined;
    });
    expect(second.changes).toBe(1); // Charlie, whose change event had expired, was found by the resync
    const charlie = (await world!.docebo.users()).find((x) => x.username.startsWith('charlie'));
    expect(charlie?.active).toBe(false);
  });
});

describe('roster serve never stops silently', () => {
  it('a failing feed fails /readyz, shows in /metrics, alerts the webhook, and alerts again when it recovers', async () => {
    const { createServer } = await import('node:http');
    const alerts: { kind: string; text: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        alerts.push(JSON.parse(body) as { kind: string; text: string });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    try {
      world = await startWorld(acmeScenario({ otherContacts: 5 }), {
        extraYaml: SERVE_YAML(POLL) + `alerts: { webhookUrl: "${hook}" }\n`,
      });
      serve = await startServeProcess(world.configFile);
      await ready(serve);
      await fetch(new URL('/__admin/faults', world.sfUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ respond: [{ status: 503, times: 1000, path: '/query' }] }),
      });
      const failing = await eventually(async () => {
        const r = await fetch(new URL('/readyz', serve!.url));
        return r.status === 503 ? ((await r.json()) as { problems: string[] }) : undefined;
      }, 40_000);
      expect(failing.problems.join(' ')).toMatch(/poll/);
      await eventually(
        async () => (alerts.some((a) => a.kind === 'feed-failing') ? true : undefined),
        20_000,
      );
      const metrics = await (await fetch(new URL('/metrics', serve.url))).text();
      expect(metrics).toContain('roster_feed_lag_seconds');

      await fetch(new URL('/__admin/faults', world.sfUrl), { method: 'DELETE' });
      await eventually(
        async () => ((await fetch(new URL('/readyz', serve!.url))).status === 200 ? true : undefined),
        40_000,
      );
      await eventually(
        async () => (alerts.some((a) => a.kind === 'feed-recovered') ? true : undefined),
        20_000,
      );
      expect(alerts.every((a) => typeof a.text === 'string' && !a.text.includes(ADMIN_TOKEN))).toBe(true);
    } finally {
      receiver.close();
    }
  }, 120_000);
});
