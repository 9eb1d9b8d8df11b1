// POST /admin/approve and /admin/reject over real HTTP, against a real SQLite store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordUseCases } from '../app/record-use-cases.ts';
import { silentLogger } from '../ports/logger.ts';
import { openStore } from '../adapters/store/open-store.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { NewHeldChange } from '../domain/held-change.ts';
import { accountId, contactId, doceboUserId, toSalesforceId18 } from '../domain/ids.ts';
import type { Store } from '../ports/store.ts';
import { startServer, type RunningServer } from './start-server.ts';

const TOKEN = 'test-admin-token-0123456789abcdef';
const NOW = new Date('2025-06-01T09:00:00.000Z');
const ACME = toSalesforceId18('001000000000001') as string;

const held = (n: number, account: string | null): NewHeldChange => ({
  planId: 'plan-1',
  itemKey: `c${n}:u${n}`,
  accountId: account === null ? null : accountId(account),
  accountName: account === null ? null : 'ACME Corporation',
  contactId: contactId(toSalesforceId18(`00300000000000${n}`) as string),
  userId: doceboUserId(`u${n}`),
  username: `u${n}@acme.example`,
  guard: 'maxPerAccount',
  reason: '2 retirements exceed maxPerAccount 1',
  after: { active: false, expirationDate: '2025-06-01' as IsoDate },
});

describe('admin API: approve and reject held changes', () => {
  let dir: string;
  let store: Store;
  let server: RunningServer;
  const post = async (path: string, body: unknown, token = TOKEN) => {
    const res = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-approval-routes-'));
    store = await openStore(`sqlite:${join(dir, 'roster.db')}`);
    await store.approvals.recordHeld([held(1, ACME), held(2, ACME), held(3, null)], {
      at: NOW.toISOString(),
      replaceWaiting: false,
    });
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      adminToken: TOKEN,
      status: async () => {
        throw new Error('not used');
      },
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
      records: recordUseCases(store, { now: () => NOW }),
      reconcileNow: async () => ({ accepted: true, message: 'queued' }),
      log: silentLogger,
    });
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('approves an account (15-character id accepted), records who and when, and queues it', async () => {
    const r = await post('/admin/approve', { accountId: ACME.slice(0, 15), by: 'lucy' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      decision: 'approved',
      count: 2,
      queued: 1,
      by: 'lucy',
      at: NOW.toISOString(),
    });
    expect((await store.queue.list({})).map((j) => [j.kind, j.key, j.sources])).toEqual([
      ['account', ACME, ['admin']],
    ]);
    expect((await store.approvals.listHeld({ status: 'held' })).map((h) => h.itemKey)).toEqual(['c3:u3']);
  });

  it('rejects a whole plan without queueing anything', async () => {
    const r = await post('/admin/reject', { planId: 'plan-1', by: 'linus' });
    expect(r.body).toMatchObject({ decision: 'rejected', count: 3, queued: 0 });
    expect(await store.queue.list({})).toEqual([]);
  });

  it.each([
    [{ by: 'x' }],
    [{ planId: 'p', accountId: ACME, by: 'x' }],
    [{ planId: 'p' }],
    [{ planId: 'p', by: 'x', extra: 1 }],
  ])('refuses a malformed body %j', async (body) => {
    const r = await post('/admin/approve', body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'ROSTER_REQUEST_INVALID' } });
  });

  it('refuses a wrong token before reading the body', async () => {
    const r = await post('/admin/approve', { planId: 'plan-1', by: 'x' }, 'wrong-token-0123456789abcdef');
    expect(r.status).toBe(401);
    expect((await store.approvals.listHeld({ status: 'held' })).length).toBe(3);
  });
});
