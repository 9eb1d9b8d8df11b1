// Over 300 lines on purpose: one endpoint against its real sender, one suite.
// Roster's outbound-message endpoint fed by the Salesforce simulator's sender: the Ack only after the
// sink stored the keys, duplicates and disorder tolerated, wrong org/secret refused with nothing stored.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirtyKey, FeedDelivery } from '../../src/domain/work.ts';
import type { FeedSink } from '../../src/ports/change-feed.ts';
import {
  createOutboundHealth,
  outboundMessagesPlugin,
  type OutboundMessagesOptions,
} from '../../src/feeds/index.ts';
import {
  startSalesforceSimulator,
  type OutboundStats,
  type RunningSalesforceSimulator,
} from '../../simulators/salesforce/index.ts';

const SECRET = 'om-secret-Zk3q9';
const V = '/services/data/v66.0';
const PATH = '/salesforce/outbound-messages';

/** Behaves like the store: remembers dedupe ids and reports the ones seen before. */
function recordingSink() {
  const seen = new Set<string>();
  const stored: FeedDelivery[] = [];
  const state = { calls: 0, failures: 0 };
  const sink: FeedSink = async (delivery) => {
    state.calls += 1;
    if (state.failures > 0) {
      state.failures -= 1;
      throw new Error('store unreachable');
    }
    const ids = delivery.dedupe?.ids ?? [];
    const duplicates = ids.filter((id) => seen.has(id));
    for (const id of ids) seen.add(id);
    stored.push(delivery);
    return { duplicates };
  };
  return { sink, stored, seen, state };
}

let sim: RunningSalesforceSimulator;
let app: FastifyInstance;
let appUrl: string;
let org: string;
let ids: Record<string, string>;
let token: string;
let rec: ReturnType<typeof recordingSink>;
let logs: { level: string; msg: string; f?: object }[];
let reported: { accepted: number; duplicates: number };

const admin = async (method: string, path: string, json?: unknown) => {
  const res = await fetch(`${sim.url}/__admin${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
};
const patch = (type: string, id: string, fields: Record<string, unknown>) =>
  fetch(`${sim.url}${V}/sobjects/${type}/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
const outbound = async () => (await admin('GET', '/outbound')).body as OutboundStats;
const sendTo = (query: string, extra: Record<string, unknown> = {}) =>
  admin('POST', '/outbound', { url: `${appUrl}${PATH}${query}`, objects: ['Account', 'Contact'], ...extra });

async function until<T>(probe: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startApp(overrides: Partial<OutboundMessagesOptions> = {}) {
  app = Fastify({ logger: false });
  await app.register(
    outboundMessagesPlugin({
      organizationId: org,
      secret: SECRET,
      sink: rec.sink,
      now: () => new Date(),
      log: {
        info: (msg, f) => logs.push({ level: 'info', msg, ...(f ? { f } : {}) }),
        warn: (msg, f) => logs.push({ level: 'warn', msg, ...(f ? { f } : {}) }),
        error: (msg, f) => logs.push({ level: 'error', msg, ...(f ? { f } : {}) }),
      },
      onDelivery: (accepted, duplicates) => {
        reported.accepted += accepted;
        reported.duplicates += duplicates;
      },
      ...overrides,
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

beforeEach(async () => {
  sim = await startSalesforceSimulator({ outbound: { baseDelayMs: 20, maxDelayMs: 100 } });
  org = ((await admin('GET', '/outbound')).body as { organizationId: string }).organizationId;
  const seeded = await admin('POST', '/seed', {
    accounts: [
      { ref: 'acme', Name: 'ACME', Status__c: 'Active' },
      { ref: 'globex', Name: 'Globex', Status__c: 'Active' },
    ],
    contacts: [{ ref: 'charlie', accountRef: 'acme', LastName: 'Brown', Docebo_Access__c: true }],
  });
  ids = (seeded.body as { ids: Record<string, string> }).ids;
  const tokenRes = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=roster&client_secret=x',
  });
  token = ((await tokenRes.json()) as { access_token: string }).access_token;
  rec = recordingSink();
  logs = [];
  reported = { accepted: 0, duplicates: 0 };
  await startApp();
});

afterEach(async () => {
  await sim.close();
  await app.close();
});

describe('outbound messages: simulator → Roster endpoint', () => {
  it('an Account PATCH arrives as an account key, de-duplicated on the notification id, and is Acked', async () => {
    await sendTo(`?token=${SECRET}`);
    expect((await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' })).status).toBe(204);
    await until(async () => (await outbound()).delivered === 1);

    expect(rec.stored).toHaveLength(1);
    const [delivery] = rec.stored;
    expect(delivery?.keys).toEqual([{ kind: 'account', id: ids.acme, source: 'outbound' }]);
    expect(delivery?.dedupe?.source).toBe('outbound');
    expect(delivery?.dedupe?.ids).toHaveLength(1);
    expect(delivery?.dedupe?.ids[0]).toMatch(/^04l[a-zA-Z0-9]{15}$/);
    expect(await outbound()).toMatchObject({ queue: 0, attempts: 1, lastError: null });
    expect(reported).toEqual({ accepted: 1, duplicates: 0 });

    await patch('Contact', ids.charlie ?? '', { Left_Date__c: '2026-01-31' });
    await until(async () => (await outbound()).delivered === 2);
    expect(rec.stored[1]?.keys).toEqual([{ kind: 'contact', id: ids.charlie, source: 'outbound' }]);
  });

  it('duplicated and out-of-order messages: every key delivered, duplicates reported, every message Acked', async () => {
    await sendTo(`?token=${SECRET}`);
    await admin('POST', '/outbound/faults', { duplicate: true, reorder: true, delayMs: 250 });
    for (const [type, id] of [
      ['Account', ids.acme],
      ['Contact', ids.charlie],
      ['Account', ids.globex],
    ] as const) {
      await patch(
        type,
        id ?? '',
        type === 'Account' ? { Status__c: 'Inactive' } : { Left_Date__c: '2026-01-31' },
      );
    }
    await until(async () => (await outbound()).delivered === 3);
    await until(() => rec.stored.length === 2);

    const expected: DirtyKey[] = [
      { kind: 'account', id: ids.globex ?? '', source: 'outbound' },
      { kind: 'contact', id: ids.charlie ?? '', source: 'outbound' },
      { kind: 'account', id: ids.acme ?? '', source: 'outbound' },
    ];
    // Newest first, and the same message a second time.
    expect(rec.stored[0]?.keys).toEqual(expected);
    expect(rec.stored[1]).toEqual(rec.stored[0]);
    expect(rec.seen.size).toBe(3);
    expect(reported).toEqual({ accepted: 3, duplicates: 3 });
    // lastError stays null only if every POST, the duplicates included, got an Ack.
    expect(await outbound()).toMatchObject({ queue: 0, attempts: 2, lastError: null });
  });

  it('a wrong OrganizationId is refused with 403 and nothing reaches the sink', async () => {
    await sendTo(`?token=${SECRET}`, { organizationId: '00D000000000009AAA' });
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).attempts >= 3);
    expect(await outbound()).toMatchObject({ delivered: 0, queue: 1, lastError: 'HTTP 403' });
    expect(rec.state.calls).toBe(0);
    expect(logs.some((l) => l.msg.includes('wrong organization'))).toBe(true);
  });

  it.each([
    ['a wrong token', '?token=not-the-secret'],
    ['no token', ''],
    ['an empty token', '?token='],
    ['a repeated token', `?token=${SECRET}&token=${SECRET}`],
  ])('%s is refused with 403 and nothing reaches the sink', async (_name, query) => {
    await sendTo(query);
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).attempts >= 2);
    expect(await outbound()).toMatchObject({ delivered: 0, queue: 1, lastError: 'HTTP 403' });
    expect(rec.state.calls).toBe(0);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('a sink that throws gets a 500, and the simulator retries until it is stored', async () => {
    rec.state.failures = 2;
    await sendTo(`?token=${SECRET}`);
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).delivered === 1);
    expect(await outbound()).toMatchObject({ queue: 0, attempts: 3, lastError: 'HTTP 500' });
    expect(rec.state.calls).toBe(3);
    expect(rec.stored).toHaveLength(1);
    expect(rec.stored[0]?.keys).toEqual([{ kind: 'account', id: ids.acme, source: 'outbound' }]);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('accepts the 15-character org id in config; the prefix comparison is case-sensitive', async () => {
    await app.close();
    await startApp({ organizationId: org.slice(0, 15) });
    await sendTo(`?token=${SECRET}`);
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).delivered === 1);

    await app.close();
    await startApp({ organizationId: swapCase(org) });
    await sendTo(`?token=${SECRET}`);
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).lastError === 'HTTP 403');
    expect(rec.stored).toHaveLength(1);
  });

  it('feeds the health tracker', async () => {
    const health = createOutboundHealth({ now: () => new Date('2026-03-01T10:00:00Z') });
    expect(health.health()).toMatchObject({ feed: 'outbound', state: 'ok', events: 0, lastEventAt: null });
    await app.close();
    await startApp({ onDelivery: health.record });
    await sendTo(`?token=${SECRET}`);
    await patch('Account', ids.acme ?? '', { Status__c: 'Inactive' });
    await until(async () => (await outbound()).delivered === 1);
    expect(health.health()).toMatchObject({
      state: 'ok',
      events: 1,
      lastEventAt: '2026-03-01T10:00:00.000Z',
    });
  });
});

describe('outbound messages: the endpoint on its own', () => {
  const post = (body: string, query = `?token=${SECRET}`, type = 'text/xml; charset=utf-8') =>
    fetch(`${appUrl}${PATH}${query}`, { method: 'POST', headers: { 'content-type': type }, body });
  const envelope = (orgId: string, notifications: string) => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${orgId}</OrganizationId>
   <ActionId>04k000000000001AAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/66.0/00D</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/66.0/00D</PartnerUrl>
   ${notifications}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
  const note = (id: string, type: string, recordId: string) =>
    `<Notification><Id>${id}</Id><sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${recordId}</sf:Id></sObject></Notification>`;

  it('answers the exact Ack envelope as text/xml', async () => {
    const res = await post(envelope(org, note('04l000000000001AAA', 'Contact', ids.charlie ?? '')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toContain(
      '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>',
    );
    expect(rec.stored[0]?.keys).toEqual([{ kind: 'contact', id: ids.charlie, source: 'outbound' }]);
  });

  it('accepts application/soap+xml and ignores (but Acks) unsupported object types', async () => {
    const res = await post(
      envelope(
        org,
        note('04l000000000002AAA', 'Opportunity', '006000000000001AAA') +
          note('04l000000000003AAA', 'Account', ids.acme ?? ''),
      ),
      `?token=${SECRET}`,
      'application/soap+xml',
    );
    expect(res.status).toBe(200);
    expect(rec.stored[0]?.keys).toEqual([{ kind: 'account', id: ids.acme, source: 'outbound' }]);
    expect(rec.stored[0]?.dedupe?.ids).toEqual(['04l000000000003AAA']);
  });

  it('malformed XML or a non-message is a 400 SOAP Fault; the token is checked first', async () => {
    for (const body of ['<soapenv:Envelope><oops>', '<a/>', envelope(org, note('short', 'Account', 'x'))]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toContain('<faultcode>soapenv:Client</faultcode>');
    }
    expect((await post('<oops>', '?token=wrong')).status).toBe(403);
    expect(rec.state.calls).toBe(0);
  });

  it('refuses more than 100 notifications, DTDs and non-XML content types', async () => {
    const many = Array.from({ length: 101 }, (_, i) =>
      note(`04l0000000${String(i).padStart(5, '0')}AAA`, 'Account', ids.acme ?? ''),
    ).join('');
    expect((await post(envelope(org, many))).status).toBe(400);
    const dtd = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${envelope(org, note('04l000000000001AAA', 'Account', ids.acme ?? ''))}`;
    expect((await post(dtd)).status).toBe(400);
    const json = await post('{}', `?token=${SECRET}`, 'application/json');
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('<soapenv:Fault>');
    expect(rec.state.calls).toBe(0);
  });

  it('a 403 for the wrong organization carries a SOAP Fault', async () => {
    const res = await post(
      envelope('00D000000000009AAA', note('04l000000000001AAA', 'Account', ids.acme ?? '')),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<faultstring>Forbidden: unexpected OrganizationId</faultstring>');
    expect(rec.state.calls).toBe(0);
  });
});

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}
