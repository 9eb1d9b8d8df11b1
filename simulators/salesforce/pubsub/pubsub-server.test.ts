// Over 300 lines on purpose: the Pub/Sub endpoint's whole protocol, one suite.
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type RunningSalesforceSimulator } from '../index.ts';
import { parseSimulatorArgs } from '../simulator-cli.ts';
import {
  bitmapNames,
  metadataOf,
  TestPubSubClient,
  type Auth,
  type Subscription,
} from './pubsub-test-client.ts';

const V = '/services/data/v66.0';
let sim: RunningSalesforceSimulator;
let client: TestPubSubClient;
let auth: Auth;
const subs: Subscription[] = [];

async function start(pubsub: { keepAliveMs?: number; retentionHours?: number } = {}) {
  sim = await startSalesforceSimulator({ pubsub: { enabled: true, ...pubsub } });
  const info = (await (await fetch(`${sim.url}/__admin/pubsub`)).json()) as {
    address: string;
    certPem: string;
  };
  expect(info.address).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(info.certPem).toContain('BEGIN CERTIFICATE');
  client = new TestPubSubClient(info.address, info.certPem);
  auth = await login();
}

async function login(): Promise<Auth> {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }),
  });
  const body = (await res.json()) as { access_token: string; instance_url: string; id: string };
  return {
    accessToken: body.access_token,
    instanceUrl: body.instance_url,
    orgId: body.id.split('/').at(-2) as string,
  };
}

async function rest(method: string, path: string, json?: unknown) {
  const res = await fetch(`${sim.url}${V}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${auth.accessToken}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
  return text ? (JSON.parse(text) as { id: string }) : null;
}
const createAccount = async (Name: string) =>
  (await rest('POST', '/sobjects/Account', { Name, Status__c: 'Active' }))?.id as string;

async function admin(method: string, path: string, json?: unknown) {
  const res = await fetch(`${sim.url}/__admin${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function subscribe(
  preset: 'LATEST' | 'EARLIEST' | 'CUSTOM',
  opts: { topic?: string; replayId?: Buffer; n?: number; as?: Partial<Auth> } = {},
) {
  const s = client.subscribe(opts.as ?? auth, {
    topic_name: opts.topic ?? '/data/ChangeEvents',
    replay_preset: preset,
    ...(opts.replayId ? { replay_id: opts.replayId } : {}),
    num_requested: opts.n ?? 100,
  });
  subs.push(s);
  return s;
}

const decode = (e: { event: { schema_id: string; payload: Buffer } }) => client.decode(auth, e.event);
const header = async (e: { event: { schema_id: string; payload: Buffer } }) =>
  (await decode(e)).ChangeEventHeader as Record<string, unknown>;
const schemaJson = async (schemaId: string) =>
  (
    await client.unary<{ schema_id: string }, { schema_json: string }>(
      'GetSchema',
      { schema_id: schemaId },
      metadataOf(auth),
    )
  ).schema_json;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  for (const s of subs.splice(0)) s.cancel();
  client?.close();
  await sim?.close();
});

describe('Pub/Sub API simulator', () => {
  beforeEach(() => start({ keepAliveMs: 60_000 }));

  it('answers GetTopic and GetSchema; the schema starts with ChangeEventHeader', async () => {
    const topic = await client.unary<{ topic_name: string }, { tenant_guid: string; schema_id: string }>(
      'GetTopic',
      { topic_name: '/data/AccountChangeEvent' },
      metadataOf(auth),
    );
    expect(topic.tenant_guid).toBe(auth.orgId);
    const schema = JSON.parse(await schemaJson(topic.schema_id)) as {
      name: string;
      fields: { name: string }[];
    };
    expect(schema.name).toBe('AccountChangeEvent');
    expect(schema.fields[0]?.name).toBe('ChangeEventHeader');
    expect(schema.fields.map((f) => f.name)).not.toContain('SystemModstamp');
    await expect(
      client.unary('GetTopic', { topic_name: '/data/accountchangeevent' }, metadataOf(auth)),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(client.unary('Publish', { topic_name: '/data/X' }, metadataOf(auth))).rejects.toMatchObject({
      code: grpc.status.UNIMPLEMENTED,
    });
  });

  it('refuses calls without a valid token, instance URL and tenant id', async () => {
    for (const bad of [
      {},
      { ...auth, accessToken: 'nope' },
      { ...auth, orgId: '00D000000000000AAA' },
      { ...auth, instanceUrl: 'https://other.my.salesforce.com' },
    ]) {
      await expect(
        client.unary('GetTopic', { topic_name: '/data/ChangeEvents' }, metadataOf(bad)),
      ).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    }
    const s = subscribe('LATEST', { as: { ...auth, accessToken: 'nope' } });
    await s.until(() => s.error !== null);
    expect(s.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(s.error?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.service.auth.error']);
  });

  it('LATEST delivers only what happens after subscribing, as Avro with a bitmap of changed fields', async () => {
    const id = await createAccount('ACME');
    const s = subscribe('LATEST');
    await s.ready;
    await rest('PATCH', `/sobjects/Account/${id}`, { Status__c: 'Inactive' });
    await s.until(() => s.events.length === 1);
    const e = s.events[0]!;
    expect(e.replay_id).toHaveLength(8);
    const payload = await decode(e);
    const h = payload.ChangeEventHeader as Record<string, unknown>;
    expect(h).toMatchObject({
      entityName: 'Account',
      recordIds: [id],
      changeType: 'UPDATE',
      sequenceNumber: 1,
    });
    // Longs as real orgs send them: commitNumber ≈ commit ms × 10^6 + a sequence, beyond 2^53.
    const committedAt = h.commitTimestamp as bigint;
    expect(Math.abs(Date.now() - Number(committedAt))).toBeLessThan(5_000);
    const commitNumber = h.commitNumber as bigint;
    expect(commitNumber).toBeGreaterThan(2n ** 53n);
    expect(commitNumber / 1_000_000n).toBe(committedAt);
    expect(payload.Status__c).toBe('Inactive');
    expect(payload.Name).toBeNull();
    expect(payload.LastModifiedDate).toBe(committedAt);
    const names = bitmapNames(await schemaJson(e.event.schema_id), h.changedFields as string[]);
    expect(names.sort()).toEqual(['LastModifiedDate', 'Status__c']);
    expect(h.changedFields).toEqual([expect.stringMatching(/^0x[0-9A-F]+$/)]);
  });

  it('names changed and nulled parts of the compound Contact Name as "<index>-0x…" bitmaps', async () => {
    const acme = await createAccount('ACME');
    const c = await rest('POST', '/sobjects/Contact', {
      FirstName: 'Charlie',
      LastName: 'Brown',
      Email: 'c@acme.test',
      AccountId: acme,
    });
    const s = subscribe('LATEST', { topic: '/data/ContactChangeEvent' });
    await s.ready;
    await rest('PATCH', `/sobjects/Contact/${c?.id}`, { FirstName: 'Charles', Email: null });
    await s.until(() => s.events.length === 1);
    const payload = await decode(s.events[0]!);
    const h = payload.ChangeEventHeader as { changedFields: string[]; nulledFields: string[] };
    const json = await schemaJson(s.events[0]!.event.schema_id);
    expect(bitmapNames(json, h.changedFields).sort()).toEqual([
      'Email',
      'LastModifiedDate',
      'Name.FirstName',
    ]);
    expect(bitmapNames(json, h.nulledFields)).toEqual(['Email']);
    expect(h.changedFields[1]).toMatch(/^\d+-0x01$/);
    expect(payload.Name).toEqual({ FirstName: 'Charles', LastName: null });
  });

  it('EARLIEST replays everything retained in order; CUSTOM resumes after the given replay id', async () => {
    const ids = [await createAccount('A'), await createAccount('B'), await createAccount('C')];
    const all = subscribe('EARLIEST');
    await all.until(() => all.events.length === 3);
    const headers = await Promise.all(all.events.map(header));
    expect(headers.map((h) => h.recordIds)).toEqual(ids.map((i) => [i]));
    expect(headers.every((h) => h.changeType === 'CREATE')).toBe(true);
    const commits = headers.map((h) => h.commitNumber as bigint);
    expect(commits[0]! < commits[1]! && commits[1]! < commits[2]!).toBe(true);
    const replay = all.events.map((e) => e.replay_id.readBigUInt64BE());
    expect([...replay].sort((a, b) => (a < b ? -1 : 1))).toEqual(replay);
    expect(new Set(replay).size).toBe(3);

    const custom = subscribe('CUSTOM', { replayId: all.events[1]!.replay_id });
    await custom.until(() => custom.events.length === 1);
    expect((await header(custom.events[0]!)).recordIds).toEqual([ids[2]]);
    // Replay options of later requests are ignored.
    custom.call.write({ replay_preset: 'EARLIEST', num_requested: 5 });
    await sleep(150);
    expect(custom.events).toHaveLength(1);
    expect(custom.error).toBeNull();
  });

  it('filters by topic and publishes one event per record of a cascading delete', async () => {
    const acme = await createAccount('ACME');
    await rest('POST', '/sobjects/Contact', { LastName: 'One', AccountId: acme });
    await rest('POST', '/sobjects/Contact', { LastName: 'Two', AccountId: acme });
    const accounts = subscribe('LATEST', { topic: '/data/AccountChangeEvent' });
    const everything = subscribe('LATEST');
    await Promise.all([accounts.ready, everything.ready]);
    await rest('DELETE', `/sobjects/Account/${acme}`);
    await everything.until(() => everything.events.length === 3);
    await accounts.until(() => accounts.events.length === 1);
    const hs = await Promise.all(everything.events.map(header));
    expect(hs.map((h) => [h.entityName, h.changeType, h.sequenceNumber])).toEqual([
      ['Account', 'DELETE', 1],
      ['Contact', 'DELETE', 2],
      ['Contact', 'DELETE', 3],
    ]);
    expect(new Set(hs.map((h) => h.transactionKey)).size).toBe(1);
    // One transaction, one commit: one commitNumber.
    expect(new Set(hs.map((h) => h.commitNumber)).size).toBe(1);
  });

  it('admin edits (a user in the UI) publish change events too; seeding does not', async () => {
    const seeded = (await admin('POST', '/seed', { accounts: [{ ref: 'a', Name: 'Seeded' }] })).body
      .ids as Record<string, string>;
    const s = subscribe('EARLIEST');
    await s.ready;
    await sleep(50);
    expect(s.events).toHaveLength(0);
    await admin('PATCH', `/sobjects/Account/${seeded.a}`, { Status__c: 'Inactive' });
    await s.until(() => s.events.length === 1);
    expect(await header(s.events[0]!)).toMatchObject({ recordIds: [seeded.a], changeType: 'UPDATE' });
  });

  it('sends no more than num_requested events, capped at 100 outstanding', async () => {
    const seeded = (await admin('POST', '/seed', { accounts: [{ ref: 'a', Name: 'A' }] })).body.ids as Record<
      string,
      string
    >;
    for (let i = 0; i < 150; i++)
      await admin('POST', '/pubsub/gap', { entity: 'Account', recordIds: [seeded.a] });
    const s = subscribe('EARLIEST', { n: 250 });
    await s.until(() => s.events.length === 100);
    await sleep(150);
    expect(s.events).toHaveLength(100);
    expect(s.responses.at(-1)?.pending_num_requested).toBe(0);
    s.request(30);
    await s.until(() => s.events.length === 130);
    await sleep(100);
    expect(s.events).toHaveLength(130);
    s.request(100);
    await s.until(() => s.events.length === 150);
    expect(s.responses.at(-1)?.pending_num_requested).toBe(80);
  });

  it('publishes gap events (header only) and GAP_OVERFLOW without record ids', async () => {
    const id = await createAccount('ACME');
    const s = subscribe('LATEST');
    await s.ready;
    expect((await admin('POST', '/pubsub/gap', { entity: 'Account', recordIds: [id] })).status).toBe(200);
    expect(
      (
        await admin('POST', '/pubsub/gap', {
          entity: 'Contact',
          recordIds: ['003000000000001AAA'],
          changeType: 'GAP_DELETE',
        })
      ).status,
    ).toBe(200);
    expect((await admin('POST', '/pubsub/overflow', { entity: 'Contact' })).status).toBe(200);
    expect((await admin('POST', '/pubsub/gap', { entity: 'Account', recordIds: [] })).status).toBe(400);
    await s.until(() => s.events.length === 3);
    const [gap, gapDelete, overflow] = await Promise.all(s.events.map(decode));
    expect(gap?.ChangeEventHeader).toMatchObject({
      changeType: 'GAP_UPDATE',
      recordIds: [id],
      changedFields: [],
    });
    expect(gap?.Name).toBeNull();
    expect(gap?.Status__c).toBeNull();
    expect(gapDelete?.ChangeEventHeader).toMatchObject({ entityName: 'Contact', changeType: 'GAP_DELETE' });
    expect(overflow?.ChangeEventHeader).toMatchObject({ changeType: 'GAP_OVERFLOW', recordIds: [] });
  });

  it('publishes undecodable events on request: their payload does not match the schema they name', async () => {
    const s = subscribe('LATEST', { topic: '/data/AccountChangeEvent' });
    await s.ready;
    expect((await admin('POST', '/pubsub/undecodable', { entity: 'Account', count: 0 })).status).toBe(400);
    const res = await admin('POST', '/pubsub/undecodable', { entity: 'Account', count: 3 });
    expect(res.body.replayIds).toHaveLength(3);
    await createAccount('After');
    await s.until(() => s.events.length === 4);
    const [schemaId] = new Set(s.events.map((e) => e.event.schema_id));
    expect(s.events.every((e) => e.event.schema_id === schemaId)).toBe(true);
    for (const e of s.events.slice(0, 3)) await expect(decode(e)).rejects.toThrow(/truncated/);
    expect(await header(s.events[3]!)).toMatchObject({ changeType: 'CREATE' });
  });

  it('fails a CUSTOM subscription from an expired or unknown replay id with INVALID_ARGUMENT', async () => {
    await createAccount('A');
    await createAccount('B');
    const all = subscribe('EARLIEST');
    await all.until(() => all.events.length === 2);
    const [first, last] = all.events.map((e) => e.replay_id);
    expect((await admin('POST', '/pubsub/expire', {})).body).toEqual({ expired: 2 });

    const stale = subscribe('CUSTOM', { replayId: first });
    await stale.until(() => stale.error !== null);
    expect(stale.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(stale.error?.details).toMatch(/replay/i);
    expect(stale.error?.metadata.get('error-code')).toEqual([
      'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    ]);
    // Nothing after the newest dropped event was lost, so resuming there is still fine.
    const fine = subscribe('CUSTOM', { replayId: last });
    await fine.ready;
    await createAccount('C');
    await fine.until(() => fine.events.length === 1);
    expect(fine.error).toBeNull();

    const unknown = Buffer.alloc(8);
    unknown.writeBigUInt64BE(2n ** 62n);
    for (const replayId of [unknown, Buffer.from([1, 2, 3])]) {
      const bad = subscribe('CUSTOM', { replayId });
      await bad.until(() => bad.error !== null);
      expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    }
  });

  it('drops events once the retention window has passed on the simulator clock', async () => {
    await createAccount('A');
    const all = subscribe('EARLIEST');
    await all.until(() => all.events.length === 1);
    await createAccount('B');
    await all.until(() => all.events.length === 2);
    await admin('POST', '/clock', { advanceDays: 2 });
    expect((await header(all.events[1]!)).changeType).toBe('CREATE');
    const stillThere = subscribe('CUSTOM', { replayId: all.events[0]!.replay_id });
    await stillThere.until(() => stillThere.events.length === 1);
    await admin('POST', '/clock', { advanceDays: 2 });
    const gone = subscribe('CUSTOM', { replayId: all.events[0]!.replay_id });
    await gone.until(() => gone.error !== null);
    expect(gone.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const earliest = subscribe('EARLIEST');
    await earliest.ready;
    await sleep(100);
    expect(earliest.events).toHaveLength(0);
  });

  it('ends a live stream UNAUTHENTICATED once its session has expired', async () => {
    const id = await createAccount('ACME');
    const s = subscribe('LATEST');
    await s.ready;
    await admin('POST', '/expire-sessions');
    await rest('PATCH', `/sobjects/Account/${id}`, { Status__c: 'Inactive' }).catch(() => null);
    await admin('PATCH', `/sobjects/Account/${id}`, { Status__c: 'Inactive' });
    await s.until(() => s.error !== null);
    expect(s.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(s.events).toHaveLength(0);
  });

  it('refuses a changed topic on a running stream', async () => {
    const s = subscribe('LATEST');
    await s.ready;
    s.call.write({ topic_name: '/data/ContactChangeEvent', num_requested: 1 });
    await s.until(() => s.error !== null);
    expect(s.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});

describe('Pub/Sub API simulator keep-alive', () => {
  beforeEach(() => start({ keepAliveMs: 150 }));

  it('sends an empty FetchResponse with the latest replay id when idle', async () => {
    await createAccount('Before');
    const s = subscribe('LATEST', { topic: '/data/ContactChangeEvent' });
    await s.until(() => s.responses.length >= 2, 2_000);
    const [ka] = s.responses;
    expect(ka?.events).toHaveLength(0);
    expect(ka?.latest_replay_id).toHaveLength(8);
    // Account events are on the bus but not this topic's: the tip is still a safe place to resume.
    const all = subscribe('EARLIEST');
    await all.until(() => all.events.length === 1);
    expect(ka?.latest_replay_id.equals(all.events[0]!.replay_id)).toBe(true);
    const resumed = subscribe('CUSTOM', { replayId: ka?.latest_replay_id as Buffer });
    await resumed.ready;
    expect(resumed.error).toBeNull();
  });
});

describe('simulator CLI', () => {
  it('takes --pubsub-port', () => {
    expect(parseSimulatorArgs(['--port', '0', '--pubsub-port', '0'])).toEqual({
      '--port': '0',
      '--pubsub-port': '0',
    });
  });
});
