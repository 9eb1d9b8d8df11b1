// Over 300 lines on purpose: the sender's delivery guarantees, one suite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type OutboundStats, type RunningSalesforceSimulator } from '../index.ts';
import { isValidId18 } from '../salesforce-ids.ts';
import {
  ACK,
  accessToken,
  call,
  notificationsOf,
  startReceiver,
  until,
  type Answer,
} from './outbound-test-kit.ts';

const V = '/services/data/v66.0';
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Status = OutboundStats & { organizationId: string };

let sim: RunningSalesforceSimulator;
let receiver: Receiver | undefined;
let token: string;
let ids: Record<string, string>;

const admin = (method: string, path: string, json?: unknown) =>
  call(sim.url, method, `/__admin${path}`, json);
const rest = (method: string, path: string, json?: unknown) =>
  call(sim.url, method, `${V}${path}`, json, token);
const status = async () => (await admin('GET', '/outbound')).body as Status;
const configure = (rx: Receiver, extra: Record<string, unknown> = {}) =>
  admin('POST', '/outbound', { url: rx.url, objects: ['Account', 'Contact'], ...extra });

/** A receiver whose first answer waits for release(), so later writes pile up in the queue. */
function gated(then: (n: number) => Answer = () => ({ status: 200, body: ACK })) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { release, answer: async (n: number) => (n === 0 && (await gate), then(n)) };
}

beforeEach(async () => {
  sim = await startSalesforceSimulator({ outbound: { baseDelayMs: 20, maxDelayMs: 100 } });
  token = await accessToken(sim.url);
  ids = (
    (
      await admin('POST', '/seed', {
        accounts: [
          { ref: 'acme', Name: 'ACME', Status__c: 'Active' },
          { ref: 'globex', Name: 'Globex', Status__c: 'Active' },
          { ref: 'initech', Name: 'Initech', Status__c: 'Active' },
        ],
        contacts: [{ ref: 'charlie', accountRef: 'acme', LastName: 'Brown', Docebo_Access__c: true }],
      })
    ).body as { ids: Record<string, string> }
  ).ids;
});

afterEach(async () => {
  await sim.close();
  await receiver?.close();
  receiver = undefined;
});

describe('outbound message sender', () => {
  it('posts the reference SOAP envelope with the configured fields and counts the Ack', async () => {
    receiver = await startReceiver();
    const org = (await status()).organizationId;
    expect(isValidId18(org)).toBe(true);
    const cfg = await admin('POST', '/outbound', {
      url: receiver.url,
      objects: ['Account'],
      fields: { Account: ['status__c'] },
    });
    expect(cfg.status).toBe(200);

    expect((await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' })).status).toBe(
      204,
    );
    await until(() => receiver?.received.length === 1);
    await until(async () => (await status()).delivered === 1);

    const [msg] = receiver.received;
    expect(msg?.url).toBe('/om?token=t');
    expect(msg?.headers['content-type']).toBe('text/xml; charset=utf-8');
    const xml = msg?.body ?? '';
    const org15 = org.slice(0, 15);
    expect(xml).toContain('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"');
    expect(xml).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(xml).toContain(`<OrganizationId>${org}</OrganizationId>`);
    expect(xml).toMatch(/<ActionId>04k[a-zA-Z0-9]{15}<\/ActionId>/);
    expect(xml).toContain('<SessionId xsi:nil="true"/>');
    expect(xml).toContain(`<EnterpriseUrl>${sim.url}/services/Soap/c/66.0/${org15}</EnterpriseUrl>`);
    expect(xml).toContain(`<PartnerUrl>${sim.url}/services/Soap/u/66.0/${org15}</PartnerUrl>`);
    expect(xml).toContain(
      '<sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">',
    );
    expect(xml).toContain(`<sf:Id>${ids.acme}</sf:Id>`);
    expect(xml).toContain('<sf:Status__c>Inactive</sf:Status__c>');
    expect(xml).not.toContain('<sf:Name>');
    const [n] = notificationsOf(xml);
    expect(n?.id).toMatch(/^04l/);
    expect(isValidId18(n?.id ?? '')).toBe(true);

    // Contacts are not configured, and seeding is not a write an outbound message watches.
    await rest('PATCH', `/sobjects/Contact/${ids.charlie}`, { Left_Date__c: '2026-01-31' });
    expect(await status()).toMatchObject({
      enabled: true,
      queue: 0,
      delivered: 1,
      attempts: 1,
      lastError: null,
    });
  });

  it('sends creates, updates, deletes and admin edits, each with a unique notification id', async () => {
    receiver = await startReceiver();
    await configure(receiver);
    const created = (await rest('POST', '/sobjects/Contact', { LastName: 'New', AccountId: ids.acme }))
      .body as { id: string };
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'Inactive' });
    await admin('PATCH', `/sobjects/Account/${ids.initech}`, { Status__c: 'Inactive' });
    await rest('DELETE', `/sobjects/Contact/${ids.charlie}`);
    // A failed write sends nothing.
    expect((await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Nope__c: 1 })).status).toBe(400);

    await until(async () => (await status()).delivered === 4);
    const all = receiver.received.flatMap((r) => notificationsOf(r.body));
    expect(all.map((n) => [n.type, n.recordId])).toEqual([
      ['Contact', created.id],
      ['Account', ids.globex],
      ['Account', ids.initech],
      ['Contact', ids.charlie],
    ]);
    expect(new Set(all.map((n) => n.id)).size).toBe(4);
    expect(receiver.received.at(-1)?.body).toContain('<sf:IsDeleted>true</sf:IsDeleted>');
  });

  it("carries the record's values at send time, not at the time of the write", async () => {
    const g = gated();
    receiver = await startReceiver(g.answer);
    await configure(receiver, { fields: { Account: ['Status__c'] } });
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'Active' });
    await until(() => receiver?.received.length === 1);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Suspended' });
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    g.release();
    await until(async () => (await status()).delivered === 3);
    const second = receiver.received[1]?.body ?? '';
    expect(notificationsOf(second)).toHaveLength(2);
    expect(second.match(/<sf:Status__c>Inactive<\/sf:Status__c>/g)).toHaveLength(2);
    expect(second).not.toContain('Suspended');
  });

  it('retries with backoff until it gets HTTP 200 with <Ack>true</Ack>', async () => {
    const answers: Answer[] = [
      { status: 500, body: 'boom' },
      { status: 503, body: '' },
      { status: 200, body: '<ok/>' },
      { status: 200, body: ACK },
    ];
    receiver = await startReceiver((n) => answers[n] ?? { status: 200, body: ACK });
    await configure(receiver);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(async () => (await status()).delivered === 1);
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(await status()).toMatchObject({
      queue: 0,
      attempts: 4,
      lastError: 'HTTP 200 without <Ack>true</Ack>',
    });
  });

  it('keeps retrying while the endpoint is down and delivers once it is back', async () => {
    receiver = await startReceiver();
    const deadUrl = receiver.url;
    await receiver.close();
    await admin('POST', '/outbound', { url: deadUrl, objects: ['Account'] });
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(async () => (await status()).attempts >= 2);
    const s = await status();
    expect(s.queue).toBe(1);
    expect(s.lastError).toMatch(/ECONNREFUSED/);
  });

  it('puts at most 100 notifications in one message', async () => {
    const g = gated();
    receiver = await startReceiver(g.answer);
    await configure(receiver);
    await admin('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(() => receiver?.received.length === 1);
    for (let i = 0; i < 150; i++)
      await admin('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: `S${i}` });
    g.release();
    await until(async () => (await status()).delivered === 151);
    expect(receiver.received.map((r) => notificationsOf(r.body).length)).toEqual([1, 100, 50]);
  });

  it('fault duplicate: sends every message twice', async () => {
    receiver = await startReceiver();
    await configure(receiver);
    await admin('POST', '/outbound/faults', { duplicate: true });
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'Inactive' });
    await until(async () => (await status()).delivered === 2);
    await until(() => receiver?.received.length === 4);
    const [a, b, c, d] = receiver.received.map((r) => r.body);
    expect(a).toBe(b);
    expect(c).toBe(d);
    expect(a).not.toBe(c);
    expect((await status()).attempts).toBe(4);
  });

  it('fault reorder: sends queued notifications newest-first', async () => {
    const g = gated();
    receiver = await startReceiver(g.answer);
    await configure(receiver);
    await admin('POST', '/outbound/faults', { reorder: true });
    await rest('PATCH', `/sobjects/Contact/${ids.charlie}`, { Left_Date__c: '2026-01-31' });
    await until(() => receiver?.received.length === 1);
    for (const ref of ['acme', 'globex', 'initech']) {
      await rest('PATCH', `/sobjects/Account/${ids[ref]}`, { Status__c: 'Inactive' });
    }
    g.release();
    await until(async () => (await status()).delivered === 4);
    expect(notificationsOf(receiver.received[1]?.body ?? '').map((n) => n.recordId)).toEqual([
      ids.initech,
      ids.globex,
      ids.acme,
    ]);
  });

  it('fault delayMs: lets writes pile up into one message', async () => {
    receiver = await startReceiver();
    await configure(receiver);
    await admin('POST', '/outbound/faults', { delayMs: 300 });
    await Promise.all(
      ['acme', 'globex', 'initech'].map((r) =>
        rest('PATCH', `/sobjects/Account/${ids[r]}`, { Status__c: 'X' }),
      ),
    );
    await until(async () => (await status()).delivered === 3);
    expect(receiver.received).toHaveLength(1);
    expect(notificationsOf(receiver.received[0]?.body ?? '')).toHaveLength(3);
  });

  it('drops notifications older than maxAge by the simulator clock', async () => {
    receiver = await startReceiver(() => ({ status: 500, body: '' }));
    await configure(receiver);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(() => (receiver?.received.length ?? 0) >= 2);
    await admin('POST', '/clock', { advanceDays: 2 });
    await until(async () => (await status()).dropped === 1);
    const settled = receiver.received.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.length).toBe(settled);
    expect(await status()).toMatchObject({ queue: 0, delivered: 0 });
  });

  it('can send another OrganizationId, and refuses URLs off this machine and unknown fields', async () => {
    receiver = await startReceiver();
    expect((await configure(receiver, { organizationId: '00D000000000001AAA' })).status).toBe(200);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(() => receiver?.received.length === 1);
    expect(receiver.received[0]?.body).toContain('<OrganizationId>00D000000000001AAA</OrganizationId>');

    for (const url of ['https://127.0.0.1:1/x', 'http://example.com/x', 'http://localhost/x', 'nope']) {
      expect((await admin('POST', '/outbound', { url, objects: ['Account'] })).status).toBe(400);
    }
    expect((await configure(receiver, { fields: { Account: ['Nope__c'] } })).status).toBe(400);
    expect((await admin('POST', '/outbound', { url: receiver.url, objects: ['Lead'] })).status).toBe(400);
    expect((await admin('POST', '/outbound/faults', { duplicate: 'yes' })).status).toBe(400);
  });

  it('DELETE /__admin/outbound turns the sender off', async () => {
    receiver = await startReceiver(() => ({ status: 500, body: '' }));
    await configure(receiver);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(() => (receiver?.received.length ?? 0) >= 1);
    expect((await admin('DELETE', '/outbound')).status).toBe(204);
    const sent = receiver.received.length;
    await rest('PATCH', `/sobjects/Account/${ids.globex}`, { Status__c: 'Inactive' });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.length).toBe(sent);
    expect(await status()).toMatchObject({ enabled: false, queue: 0 });
  });

  it('stops on close: no request and no timer is left behind', async () => {
    receiver = await startReceiver(() => ({ status: 500, body: '' }));
    // A long backoff: close() must cancel it, not wait for it (stop() awaits the send loop).
    await configure(receiver, { retry: { baseDelayMs: 30_000 } });
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(async () => (await status()).lastError !== null);
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(1);
    sim = await startSalesforceSimulator(); // for afterEach
  });

  it('stops on close while a delivery is in flight', async () => {
    let answered = false;
    receiver = await startReceiver(
      () => new Promise((r) => setTimeout(() => ((answered = true), r({ status: 200, body: ACK })), 1_000)),
    );
    await configure(receiver);
    await rest('PATCH', `/sobjects/Account/${ids.acme}`, { Status__c: 'Inactive' });
    await until(() => receiver?.received.length === 1);
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(900);
    expect(answered).toBe(false);
    sim = await startSalesforceSimulator(); // for afterEach
  });
});
