// Over 300 lines on purpose: one port's contract, one suite.
// SalesforceCdcFeed against the Salesforce simulator's Pub/Sub endpoint, in-process: REST writes become
// dirty keys within a second, checkpoints travel with their keys, and gaps, overflows, expired replay ids
// and expired sessions each end in the documented recovery.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startSalesforceSimulator,
  type RunningSalesforceSimulator,
} from '../../simulators/salesforce/index.ts';
import { openPubSubSession } from '../../src/adapters/salesforce/pubsub-session.ts';
import { SalesforceCdcFeed } from '../../src/feeds/cdc/salesforce-cdc-feed.ts';
import type { FeedDelivery } from '../../src/domain/work.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { systemClock } from '../../src/ports/clock.ts';

const V = '/services/data/v66.0';
let sim: RunningSalesforceSimulator;
let ids: Record<string, string>;
let token: string;
const feeds: SalesforceCdcFeed[] = [];

/** The durable queue, as far as a feed can tell: what it was handed, and the last checkpoint stored. */
class Recorder {
  readonly deliveries: FeedDelivery[] = [];
  checkpoint: unknown = null;
  failNext = 0;
  readonly sink = async (d: FeedDelivery) => {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('store unavailable');
    }
    this.deliveries.push(d);
    if (d.checkpoint) this.checkpoint = d.checkpoint.state;
    return { duplicates: [] };
  };
  keys(kind?: 'contact' | 'account') {
    return this.deliveries.flatMap((d) => d.keys).filter((k) => !kind || k.kind === kind);
  }
  resyncs() {
    return this.deliveries.flatMap((d) => d.resync ?? []);
  }
  async until(cond: () => boolean, ms = 3_000) {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
      await sleep(10);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The REST adapter's OAuth login against the simulator, as the composition root wires it. */
const restLogin = () => () =>
  openPubSubSession({
    loginUrl: sim.url,
    apiVersion: '66.0',
    auth: { flow: 'client_credentials', clientId: 'roster', clientSecret: 'secret' },
  });

function feed(extra: { topic?: string; batchRequest?: number; log?: Logger } = {}) {
  const pubsub = sim.pubsub;
  if (!pubsub) throw new Error('pubsub not enabled');
  const f = new SalesforceCdcFeed({
    login: restLogin(),
    pubsubAddress: pubsub.address,
    caPem: pubsub.certPem,
    clock: systemClock,
    log: quiet,
    backoff: { baseMs: 50, maxMs: 200, maxRetryAfterMs: 1_000 },
    ...extra,
  });
  feeds.push(f);
  return f;
}

async function rest(method: string, path: string, json?: unknown) {
  const res = await fetch(`${sim.url}${V}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (res.status === 401) {
    token = await login();
    return rest(method, path, json);
  }
  expect(res.status).toBeLessThan(300);
  const text = await res.text();
  return text ? (JSON.parse(text) as { id: string }) : null;
}

async function login() {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'test', client_secret: 'x' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const admin = (path: string, json: unknown = {}) =>
  fetch(`${sim.url}/__admin${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });

beforeEach(async () => {
  sim = await startSalesforceSimulator({ pubsub: { enabled: true, keepAliveMs: 200 } });
  const seeded = await admin('/seed', {
    accounts: [
      { ref: 'acme', Name: 'ACME', Status__c: 'Active' },
      { ref: 'globex', Name: 'Globex', Status__c: 'Active' },
      { ref: 'initech', Name: 'Initech' },
    ],
    contacts: [{ ref: 'charlie', accountRef: 'acme', LastName: 'Brown', Docebo_Access__c: true }],
  });
  ids = ((await seeded.json()) as { ids: Record<string, string> }).ids;
  token = await login();
});

afterEach(async () => {
  for (const f of feeds.splice(0)) await f.stop();
  await sim.close();
});

describe('SalesforceCdcFeed', () => {
  it('turns a REST PATCH of an Account into an account key within a second, with its checkpoint', async () => {
    const rec = new Recorder();
    const f = feed();
    await f.start(rec.sink, null);
    const t0 = Date.now();
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await rec.until(() => rec.keys().length > 0, 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    const d = rec.deliveries.find((x) => x.keys.length > 0) as FeedDelivery;
    expect(d.keys).toEqual([{ kind: 'account', id: ids.acme, source: 'cdc' }]);
    expect(d.checkpoint).toEqual({ feed: 'cdc', state: { replayId: expect.any(String) } });
    expect(Buffer.from((d.checkpoint?.state as { replayId: string }).replayId, 'base64')).toHaveLength(8);
    const h = f.health();
    expect(h).toMatchObject({ feed: 'cdc', state: 'ok', events: 1, consecutiveFailures: 0, error: null });
    expect(h.lastEventAt).not.toBeNull();
    expect(h.lagMs).toBeGreaterThanOrEqual(0);
    expect(h.lagMs).toBeLessThan(5_000);
  });

  it('marks contacts for Contact changes and every record of a cascading delete', async () => {
    const rec = new Recorder();
    await feed().start(rec.sink, null);
    await rest('PATCH', `/sobjects/Contact/${ids.charlie}`, { Left_Date__c: '2025-06-30' });
    await rec.until(() => rec.keys('contact').length === 1);
    expect(rec.keys('contact')[0]).toEqual({ kind: 'contact', id: ids.charlie, source: 'cdc' });
    const created = await rest('POST', '/sobjects/Contact', { LastName: 'New', AccountId: ids.globex });
    await rest('DELETE', `/sobjects/Account/${ids.globex}`);
    await rec.until(() => rec.keys().length === 4);
    expect(rec.keys().map((k) => `${k.kind}:${k.id}`)).toEqual([
      `contact:${ids.charlie}`,
      `contact:${created?.id}`,
      `account:${ids.globex}`,
      `contact:${created?.id}`,
    ]);
  });

  it('updates the checkpoint and heartbeat from keep-alives with no keys', async () => {
    const rec = new Recorder();
    const f = feed();
    await f.start(rec.sink, null);
    await rec.until(() => rec.deliveries.length >= 2);
    expect(rec.deliveries.every((d) => d.keys.length === 0 && d.checkpoint?.feed === 'cdc')).toBe(true);
    expect(f.health().lastHeartbeatAt).not.toBeNull();
    expect(f.health().lagMs).toBe(0);
  });

  it('resumes after stop/start from the stored checkpoint: nothing twice, nothing lost', async () => {
    const rec = new Recorder();
    const f1 = feed({ batchRequest: 2 });
    await f1.start(rec.sink, null);
    for (const s of ['A', 'B', 'C']) await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: s });
    await rec.until(() => rec.keys().length === 3);
    await f1.stop();
    expect(f1.health().state).toBe('stopped');

    // While it is down: five changes it has never seen.
    const whileDown = [ids.acme, ids.globex, ids.initech, ids.acme, ids.globex];
    for (const [i, id] of whileDown.entries())
      await rest('PATCH', `/sobjects/Account/${id}`, { Status__c: `down-${i}` });

    const before = rec.keys().length;
    const f2 = feed({ batchRequest: 2 });
    await f2.start(rec.sink, rec.checkpoint);
    await rec.until(() => rec.keys().length === before + 5);
    await sleep(300);
    expect(
      rec
        .keys()
        .slice(before)
        .map((k) => k.id),
    ).toEqual(whileDown);
    expect(rec.keys()).toHaveLength(8);
    // Batches of at most two events: the checkpoint moved with every delivery that carried keys.
    const withKeys = rec.deliveries.filter((d) => d.keys.length > 0);
    expect(withKeys.every((d) => d.keys.length <= 2 && d.checkpoint)).toBe(true);
  });

  it('does not move past a batch the sink failed to store', async () => {
    const rec = new Recorder();
    await feed().start(rec.sink, null);
    rec.failNext = 1;
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await rec.until(() => rec.keys().length === 1);
    expect(rec.keys()[0]?.id).toBe(ids.acme);
  });

  it('marks the records of a gap event, and asks for a resync on GAP_OVERFLOW', async () => {
    const rec = new Recorder();
    await feed().start(rec.sink, null);
    await admin('/pubsub/gap', { entity: 'Contact', recordIds: [ids.charlie] });
    await rec.until(() => rec.keys().length === 1);
    expect(rec.keys()).toEqual([{ kind: 'contact', id: ids.charlie, source: 'cdc' }]);
    await admin('/pubsub/overflow', { entity: 'Account' });
    await rec.until(() => rec.resyncs().length === 1);
    const d = rec.deliveries.find((x) => x.resync) as FeedDelivery;
    expect(d.resync).toEqual(['Account']);
    expect(d.checkpoint?.feed).toBe('cdc');
  });

  it('counts undecodable events, asks for a resync of the topic, moves past them and reads on', async () => {
    const rec = new Recorder();
    const errors: Record<string, unknown>[] = [];
    const f = feed({
      log: {
        ...quiet,
        error: (_msg: string, fields?: Record<string, unknown>) => void errors.push(fields ?? {}),
      },
    });
    await f.start(rec.sink, null);
    await admin('/pubsub/undecodable', { entity: 'Account', count: 5 });
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await rec.until(() => rec.keys().length === 1);
    const undecodable = rec.deliveries.reduce((n, d) => n + (d.undecodable ?? 0), 0);
    expect(undecodable).toBe(5);
    expect(new Set(rec.resyncs())).toEqual(new Set(['Account', 'Contact']));
    expect(rec.deliveries.filter((d) => d.undecodable).every((d) => d.checkpoint?.feed === 'cdc')).toBe(true);
    expect(rec.keys()).toEqual([{ kind: 'account', id: ids.acme, source: 'cdc' }]);
    expect(f.health()).toMatchObject({ state: 'ok', events: 6, consecutiveFailures: 0 });
    // One log line per response, not one per event.
    expect(errors.length).toBeLessThanOrEqual(rec.deliveries.filter((d) => d.undecodable).length);
    expect(errors[0]).toMatchObject({ feed: 'cdc', error: expect.stringMatching(/truncated/) });
  });

  it('asks for a full resync when the stored replay id has expired, then follows the latest events', async () => {
    const rec = new Recorder();
    const f1 = feed();
    await f1.start(rec.sink, null);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'X' });
    await rec.until(() => rec.keys().length === 1);
    await f1.stop();
    const stale = rec.checkpoint;
    // Events arrive and then the retention window passes over all of them.
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'Y' });
    await admin('/pubsub/expire');

    const f2 = feed();
    await f2.start(rec.sink, stale);
    await rec.until(() => rec.resyncs().length > 0);
    const resync = rec.deliveries.find((d) => d.resync) as FeedDelivery;
    expect(resync).toMatchObject({ keys: [], resync: ['Account', 'Contact'] });
    expect(resync.checkpoint).toEqual({ feed: 'cdc', state: { replayId: null } });
    await rec.until(() => f2.health().state === 'ok');
    await rest('PATCH', `/sobjects/Account/${ids.initech}`, { Status__c: 'Z' });
    await rec.until(() => rec.keys().some((k) => k.id === ids.initech));
    expect(rec.keys().some((k) => k.id === ids.globex)).toBe(false);
  });

  it('logs in again when the session expires and carries on from its checkpoint', async () => {
    const rec = new Recorder();
    const f = feed();
    await f.start(rec.sink, null);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'A' });
    await rec.until(() => rec.keys().length === 1);
    await admin('/expire-sessions');
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'B' });
    await rest('PATCH', `/sobjects/Contact/${ids.charlie}`, { Left_Date__c: '2025-07-01' });
    await rec.until(() => rec.keys().length === 3);
    expect(rec.keys().map((k) => k.id)).toEqual([ids.acme, ids.globex, ids.charlie]);
    expect(f.health().state).toBe('ok');
  });

  it('reconnects with backoff when the stream breaks, reporting failures in health without secrets', async () => {
    const rec = new Recorder();
    const f = feed();
    await f.start(rec.sink, null);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'A' });
    await rec.until(() => rec.keys().length === 1);
    const address = sim.pubsub?.address as string;
    const port = Number(address.split(':')[1]);
    const checkpoint = rec.checkpoint;
    await f.stop();

    // A feed pointed at a dead port keeps failing and says so.
    const dead = new SalesforceCdcFeed({
      login: restLogin(),
      pubsubAddress: `127.0.0.1:${port === 1 ? 2 : 1}`,
      caPem: sim.pubsub?.certPem as string,
      clock: systemClock,
      log: quiet,
      backoff: { baseMs: 20, maxMs: 50, maxRetryAfterMs: 1_000 },
    });
    feeds.push(dead);
    await dead.start(rec.sink, checkpoint);
    await rec.until(() => dead.health().consecutiveFailures >= 3);
    const h = dead.health();
    expect(h.state).toBe('failed');
    expect(h.error).toBeTruthy();
    expect(h.error).not.toContain(token);
    expect(h.error).not.toMatch(/00D\w+!/);
  });

  it('uses the same proto as the simulator (the two may not import each other)', () => {
    const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
    expect(read('../../src/feeds/cdc/pubsub_api.proto')).toBe(
      read('../../simulators/salesforce/pubsub/pubsub_api.proto'),
    );
  });
});
