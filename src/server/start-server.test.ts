// Over 300 lines on purpose: every route of the HTTP shell over real HTTP, one suite.
// The HTTP shell over real HTTP on 127.0.0.1:0: a real SQLite store for runs and the journal, fakes
// for status, reconciliation and the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PromTelemetry } from '../adapters/metrics/prom-telemetry.ts';
import { recordUseCases } from '../app/record-use-cases.ts';
import { openStore } from '../adapters/store/open-store.ts';
import type { ServiceStatus } from '../app/service/service-status.ts';
import type { IsoDate } from '../domain/dates.ts';
import { accountId, contactId, doceboUserId, toSalesforceId18 } from '../domain/ids.ts';
import type { NewJournalEntry } from '../domain/journal.ts';
import type { Job } from '../domain/work.ts';
import type { Store } from '../ports/store.ts';
import type { WorkQueue } from '../ports/work-queue.ts';
import type { ServerDeps } from './server-deps.ts';
import { startServer, type RunningServer } from './start-server.ts';

const TOKEN = 'test-admin-token-0123456789abcdef';
const NOW = new Date('2025-06-01T09:00:00.000Z');
const id18 = (id15: string) => toSalesforceId18(id15) ?? id15;
const C1 = id18('003000000000001');
const C2 = id18('003000000000002');

function status(over: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    role: 'active',
    writer: 'roster serve on host-1 (pid 4711), holding it since 2025-06-01T08:00:00.000Z',
    startedAt: NOW.toISOString(),
    now: NOW.toISOString(),
    ready: true,
    problems: [],
    feeds: [],
    queue: { queued: 0, ready: 0, running: 0, dead: 1, oldestQueuedAt: null },
    budget: { callsPerHour: 1000, remaining: 990, spentSinceStart: 10 },
    salesforce: { lastOkAt: NOW.toISOString(), apiUsage: null },
    docebo: { lastOkAt: NOW.toISOString() },
    reconcile: { lastRun: null, nextAt: null, running: false },
    changes: { applied: 0, failed: 0 },
    held: 0,
    mode: 'enforce',
    ...over,
  };
}

function job(id: number, over: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'contact',
    key: C1,
    priority: 0,
    status: 'dead',
    attempts: 5,
    nextAttemptAt: NOW.toISOString(),
    sources: ['poll'],
    firstQueuedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    lastError: { code: 'ROSTER_DOCEBO_REJECTED', message: 'no', retryable: false },
    ...over,
  };
}

function entry(n: number, over: Partial<NewJournalEntry>): NewJournalEntry {
  return {
    runId: 'run-1',
    planId: 'plan-1',
    itemKey: `k${n}`,
    at: `2025-06-01T08:00:${String(n).padStart(2, '0')}.000Z`,
    userId: doceboUserId(`u${n}`),
    username: `user${n}`,
    contactId: contactId(C1),
    accountId: accountId(id18('001000000000001')),
    before: { active: true, expirationDate: null },
    after: { active: false, expirationDate: '2025-05-31' as IsoDate },
    reasons: [],
    action: 'retire',
    outcome: 'applied',
    error: null,
    ...over,
  };
}

/** The queue half of the store, in memory, so tests can see exactly which queue calls were made. */
class FakeQueue {
  jobs: Job[] = [job(1), job(2), job(3, { status: 'queued', attempts: 0, lastError: null })];
  revived: { now: string; ids: number[] | undefined }[] = [];
  list: WorkQueue['list'] = async ({ status: s, limit }) =>
    this.jobs.filter((j) => s === undefined || j.status === s).slice(0, limit);
  reviveDead: WorkQueue['reviveDead'] = async (now, ids) => {
    this.revived.push({ now, ids });
    let n = 0;
    for (const j of this.jobs) {
      if (j.status === 'dead' && (ids === undefined || ids.includes(j.id))) {
        j.status = 'queued';
        n++;
      }
    }
    return n;
  };
}

function withQueue(store: Store, queue: FakeQueue): Store {
  const real = store.queue;
  return {
    ...store,
    queue: {
      enqueue: (d, now) => real.enqueue(d, now),
      claim: (o) => real.claim(o),
      complete: (ids) => real.complete(ids),
      fail: (id, e, o) => real.fail(id, e, o),
      releaseExpiredLeases: (now) => real.releaseExpiredLeases(now),
      stats: (now) => real.stats(now),
      checkpoint: (f) => real.checkpoint(f),
      list: queue.list,
      reviveDead: queue.reviveDead,
    },
  };
}

let dir: string;
let store: Store;
let queue: FakeQueue;
let telemetry: PromTelemetry;
let server: RunningServer;
let current: ServiceStatus | Error;
let calls: { status: number; reconcile: number };
const logs: { msg: string; fields?: object }[] = [];

function deps(over: Partial<ServerDeps> = {}): ServerDeps {
  return {
    host: '127.0.0.1',
    port: 0,
    adminToken: TOKEN,
    status: async () => {
      calls.status++;
      if (current instanceof Error) throw current;
      return current;
    },
    metrics: async () => ({ contentType: telemetry.contentType, body: await telemetry.metricsText() }),
    records: recordUseCases(withQueue(store, queue), { now: () => NOW }),
    reconcileNow: async () => {
      calls.reconcile++;
      return { accepted: true, message: 'reconciliation started' };
    },
    log: {
      info: (msg, fields) => void logs.push({ msg, fields }),
      warn: (msg, fields) => void logs.push({ msg, fields }),
      error: (msg, fields) => void logs.push({ msg, fields }),
    },
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-server-'));
  store = await openStore(`sqlite:${join(dir, 'x.db')}`);
  for (const [id, startedAt] of [
    ['run-1', '2025-06-01T08:00:00.000Z'],
    ['run-2', '2025-06-01T08:30:00.000Z'],
  ] as const) {
    await store.runs.start({
      id,
      kind: 'apply',
      status: 'running',
      startedAt,
      finishedAt: null,
      planId: 'plan-1',
      summary: {},
    });
  }
  await store.journal.append([
    entry(1, {}),
    entry(2, { contactId: contactId(C2) }),
    entry(3, { runId: 'run-2', userId: doceboUserId('u1') }),
  ]);
  telemetry = new PromTelemetry();
  queue = new FakeQueue();
  server = await startServer(deps());
});

afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  current = status();
  calls = { status: 0, reconcile: 0 };
  logs.length = 0;
});

async function http(
  method: string,
  path: string,
  opts: { token?: string | null; authorization?: string; body?: unknown } = {},
): Promise<{ status: number; json: () => unknown; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text), headers: response.headers };
}

describe('probes and metrics', () => {
  it('listens on 127.0.0.1 with a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /healthz is 200 even when not ready', async () => {
    current = status({ ready: false, problems: ['x'] });
    const r = await http('GET', '/healthz', { token: null });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true });
  });

  it('GET /readyz is 200 when ready, 503 with the problems when not', async () => {
    const ok = await http('GET', '/readyz', { token: null });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ ready: true, role: 'active', problems: [] });

    current = status({ ready: false, problems: ['feed poll stalled', 'Docebo has not answered for 16 min'] });
    const bad = await http('GET', '/readyz', { token: null });
    expect(bad.status).toBe(503);
    expect(bad.json()).toMatchObject({
      ready: false,
      problems: ['feed poll stalled', 'Docebo has not answered for 16 min'],
    });
  });

  it('GET /readyz says which instance holds the writer lease: a healthy standby is ready to take over', async () => {
    current = status({ role: 'standby', writer: 'roster serve on host-2 (pid 99), holding it since …' });
    const r = await http('GET', '/readyz', { token: null });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      ready: true,
      role: 'standby',
      writer: 'roster serve on host-2 (pid 99), holding it since …',
      problems: [],
    });
  });

  it('GET /readyz is 503 when the status cannot be computed', async () => {
    current = new Error('store down');
    const r = await http('GET', '/readyz', { token: null });
    expect(r.status).toBe(503);
    expect(r.json()).toMatchObject({ ready: false, problems: ['status unavailable'] });
  });

  it('GET /metrics serves Prometheus text with the recorded metrics', async () => {
    telemetry.count('roster_feed_events_total', { feed: 'poll' }, 3);
    telemetry.gauge('roster_queue_depth', 7, { status: 'queued' });
    telemetry.observe('roster_change_latency_seconds', 1.5, { feed: 'cdc' });
    const r = await http('GET', '/metrics', { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.text).toContain('roster_feed_events_total{feed="poll"} 3');
    expect(r.text).toContain('roster_queue_depth{status="queued"} 7');
    expect(r.text).toContain('roster_change_latency_seconds_bucket{le="2.5",feed="cdc"} 1');
    expect(r.text).toContain('process_cpu_user_seconds_total');
  });

  it('unknown routes are 404 in the error shape', async () => {
    const r = await http('GET', '/nope', { token: null });
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'ROSTER_REQUEST_INVALID' } });
  });
});

describe('admin API authentication', () => {
  const routes: { method: string; path: string; body?: unknown }[] = [
    { method: 'GET', path: '/admin/status' },
    { method: 'GET', path: '/admin/queue?status=dead' },
    { method: 'POST', path: '/admin/queue/retry', body: { ids: [1] } },
    { method: 'POST', path: '/admin/queue/retry', body: {} },
    { method: 'GET', path: '/admin/runs' },
    { method: 'GET', path: '/admin/journal?runId=run-1' },
    { method: 'POST', path: '/admin/reconcile', body: {} },
  ];
  const credentials: { name: string; opts: { token?: string | null; authorization?: string } }[] = [
    { name: 'no Authorization header', opts: { token: null } },
    { name: 'a wrong token', opts: { token: 'wrong' } },
    { name: 'a token one character short', opts: { token: TOKEN.slice(0, -1) } },
    { name: 'the token plus a suffix', opts: { token: `${TOKEN}x` } },
    { name: 'the right token under another scheme', opts: { authorization: `Basic ${TOKEN}` } },
    { name: 'the bare token', opts: { authorization: TOKEN } },
    { name: 'an empty bearer', opts: { authorization: 'Bearer ' } },
  ];

  for (const route of routes) {
    it.each(credentials)(
      `${route.method} ${route.path} with $name → 401, nothing changes`,
      async ({ opts }) => {
        const before = JSON.stringify(queue.jobs);
        const r = await http(route.method, route.path, { ...opts, body: route.body });
        expect(r.status).toBe(401);
        expect(r.json()).toMatchObject({ error: { code: 'ROSTER_UNAUTHORIZED' } });
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(calls).toEqual({ status: 0, reconcile: 0 });
        expect(queue.revived).toEqual([]);
        expect(JSON.stringify(queue.jobs)).toBe(before);
      },
    );
  }

  it('accepts the scheme case-insensitively', async () => {
    const r = await http('GET', '/admin/status', { authorization: `bearer ${TOKEN}` });
    expect(r.status).toBe(200);
  });
});

describe('admin API', () => {
  it('GET /admin/status returns the service status', async () => {
    const r = await http('GET', '/admin/status');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual(status());
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /admin/queue lists jobs by status', async () => {
    const dead = await http('GET', '/admin/queue?status=dead&limit=1');
    expect(dead.status).toBe(200);
    expect((dead.json() as { jobs: Job[] }).jobs.map((j) => j.id)).toEqual([1]);
    const all = await http('GET', '/admin/queue');
    expect((all.json() as { jobs: Job[] }).jobs).toHaveLength(3);
  });

  it('GET /admin/runs lists runs newest first with a limit', async () => {
    const r = await http('GET', '/admin/runs?limit=1');
    expect(r.status).toBe(200);
    expect((r.json() as { runs: { id: string }[] }).runs.map((x) => x.id)).toEqual(['run-2']);
  });

  const journalCases: { query: string; items: string[] }[] = [
    { query: '', items: ['k3', 'k2', 'k1'] },
    { query: '?runId=run-1', items: ['k2', 'k1'] },
    { query: '?userId=u1', items: ['k3', 'k1'] },
    { query: `?contactId=${C2}`, items: ['k2'] },
    // The 15-character form people copy from Salesforce URLs finds the same contact.
    { query: '?contactId=003000000000002', items: ['k2'] },
    { query: '?runId=run-1&userId=u1', items: ['k1'] },
    { query: '?limit=1', items: ['k3'] },
    { query: '?runId=nope', items: [] },
  ];
  it.each(journalCases)('GET /admin/journal$query', async ({ query, items }) => {
    const r = await http('GET', `/admin/journal${query}`);
    expect(r.status).toBe(200);
    expect((r.json() as { entries: { itemKey: string }[] }).entries.map((e) => e.itemKey)).toEqual(items);
  });

  const invalid: { method: string; path: string; body?: unknown; field: string }[] = [
    { method: 'GET', path: '/admin/queue?limit=abc', field: 'query.limit' },
    { method: 'GET', path: '/admin/queue?limit=0', field: 'query.limit' },
    { method: 'GET', path: '/admin/queue?status=lost', field: 'query.status' },
    { method: 'GET', path: '/admin/queue?stat=dead', field: 'stat' },
    { method: 'GET', path: '/admin/runs?limit=100000', field: 'query.limit' },
    { method: 'GET', path: '/admin/journal?contactId=not-an-id', field: 'query.contactId' },
    { method: 'POST', path: '/admin/queue/retry', body: { ids: ['x'] }, field: 'body.ids.0' },
    { method: 'POST', path: '/admin/queue/retry', body: { ids: [] }, field: 'body.ids' },
  ];
  it.each(invalid)('$method $path → 400 naming $field', async ({ method, path, body, field }) => {
    const r = await http(method, path, { body });
    expect(r.status).toBe(400);
    const error = (r.json() as { error: { code: string; message: string; action: string } }).error;
    expect(error.code).toBe('ROSTER_REQUEST_INVALID');
    expect(error.message).toContain(field);
    expect(error.action).not.toBe('');
    expect(queue.revived).toEqual([]);
  });

  it('POST /admin/queue/retry revives the named dead letters, or all of them', async () => {
    const one = await http('POST', '/admin/queue/retry', { body: { ids: [2] } });
    expect(one.status).toBe(200);
    expect(one.json()).toEqual({ revived: 1 });
    expect(queue.revived).toEqual([{ now: NOW.toISOString(), ids: [2] }]);

    const rest = await http('POST', '/admin/queue/retry');
    expect(rest.json()).toEqual({ revived: 1 });
    expect(queue.revived[1]).toEqual({ now: NOW.toISOString(), ids: undefined });
    expect(queue.jobs.every((j) => j.status === 'queued')).toBe(true);
  });

  it('POST /admin/reconcile → 202 with what reconcileNow said', async () => {
    const r = await http('POST', '/admin/reconcile');
    expect(r.status).toBe(202);
    expect(r.json()).toEqual({ accepted: true, message: 'reconciliation started' });
    expect(calls.reconcile).toBe(1);
  });

  it('a failing dependency is a 500 without its internals', async () => {
    current = new Error('SELECT * FROM secret_table');
    const r = await http('GET', '/admin/status');
    expect(r.status).toBe(500);
    expect(r.text).not.toContain('secret_table');
    expect(r.json()).toMatchObject({ error: { code: 'ROSTER_INTERNAL' } });
  });
});

describe('request log', () => {
  it('logs method, route, status and duration, never the token or the query', async () => {
    await http('GET', '/admin/journal?runId=hunter2-secret-run');
    await http('GET', '/admin/status', { token: 'wrong-token-value' });
    const lines = logs.filter((l) => l.msg === 'http request');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.fields).toMatchObject({ method: 'GET', route: '/admin/journal', status: 200 });
    expect(lines[1]?.fields).toMatchObject({ method: 'GET', route: '/admin/status', status: 401 });
    expect(typeof (lines[0]?.fields as { durationMs?: unknown }).durationMs).toBe('number');
    const everything = JSON.stringify(logs);
    for (const secret of [TOKEN, 'wrong-token-value', 'hunter2']) expect(everything).not.toContain(secret);
  });
});

describe('startServer', () => {
  it('registers plugins in their own scope, outside the admin token', async () => {
    const extra = await startServer(
      deps({
        plugins: [
          (app) => {
            app.get('/salesforce/ping', async () => ({ pong: true }));
          },
        ],
      }),
    );
    try {
      const r = await fetch(`${extra.url}/salesforce/ping`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ pong: true });
    } finally {
      await extra.close();
    }
  });
});

describe('admin queue on the real store queue', () => {
  it('lists a dead letter and revives it; a 401 leaves it dead', async () => {
    const real = await openStore(`sqlite:${join(dir, 'queue.db')}`);
    const api = await startServer(deps({ records: recordUseCases(real, { now: () => NOW }) }));
    const call = (method: string, path: string, token = TOKEN) =>
      fetch(api.url + path, { method, headers: { authorization: `Bearer ${token}` } });
    try {
      const now = NOW.toISOString();
      await real.queue.enqueue({ keys: [{ kind: 'contact', id: C1, source: 'poll' }] }, now);
      const [claimed] = await real.queue.claim({ now, limit: 1, leaseUntil: '2025-06-01T09:05:00.000Z' });
      expect(claimed).toBeDefined();
      const error = { code: 'ROSTER_DOCEBO_REJECTED' as const, message: 'rejected', retryable: false };
      await real.queue.fail(claimed!.id, error, { nextAttemptAt: now, maxAttempts: 1, now });

      const listed = (await (await call('GET', '/admin/queue?status=dead')).json()) as { jobs: Job[] };
      expect(listed.jobs.map((j) => [j.key, j.lastError?.code])).toEqual([[C1, 'ROSTER_DOCEBO_REJECTED']]);

      expect((await call('POST', '/admin/queue/retry', 'wrong')).status).toBe(401);
      expect(await real.queue.list({ status: 'dead' })).toHaveLength(1);

      const retried = await call('POST', '/admin/queue/retry');
      expect(await retried.json()).toEqual({ revived: 1 });
      expect(await real.queue.list({ status: 'dead' })).toHaveLength(0);
      expect(await real.queue.list({ status: 'queued' })).toHaveLength(1);
    } finally {
      await api.close();
      await real.close();
    }
  });
});
