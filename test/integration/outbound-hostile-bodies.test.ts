// Roster's outbound-message endpoint over real HTTP against bodies no Salesforce org sends: each one is
// refused with a 4xx SOAP Client fault (never a 500, which would claim a fault of Roster's), quickly,
// without holding the event loop, and counted against the feed's health.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboundHealth, outboundMessagesPlugin, type OutboundHealth } from '../../src/feeds/index.ts';

const ORG = '00DRO0000000001AAA';
const SECRET = 'om-secret-Zk3q9-hostile';
const PATH = '/salesforce/outbound-messages';

const envelope = (inner: string, org = ORG) => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   ${inner}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
const note = (fields = '', attributes = '') =>
  `<Notification><Id>04lRO0000000001AAA</Id><sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com" ${attributes}><sf:Id>001RO0000000001AAA</sf:Id>${fields}</sObject></Notification>`;
const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ');

let app: FastifyInstance;
let url: string;
let stored: number;
let health: OutboundHealth;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await app.register(
    outboundMessagesPlugin({
      organizationId: ORG,
      secret: SECRET,
      sink: async () => {
        stored += 1;
        return { duplicates: [] };
      },
      now: () => new Date(),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      onDelivery: (accepted, duplicates) => health.record(accepted, duplicates),
      onRefused: (status, reason) => health.refused(status, reason),
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${PATH}`;
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  stored = 0;
  health = createOutboundHealth({ now: () => new Date('2026-03-01T10:00:00Z') });
});

const post = (body: string, token = SECRET) =>
  fetch(`${url}?token=${token}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

/** The answer, how long it took, and the longest the event loop was held meanwhile. */
async function timedPost(body: string) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const res = await post(body);
  const text = await res.text();
  const ms = performance.now() - started;
  delay.disable();
  return { status: res.status, text, ms, loopBlockedMs: delay.max / 1e6 };
}

describe('outbound messages: hostile bodies', () => {
  // Generous limits: the refusals take milliseconds; before the bounds, the first body took 3–17 s.
  it.each([
    {
      name: '2 MB with 200,000 attributes on the sObject',
      body: envelope(note('', attributes(200_000))),
      status: 413,
      reason: 'too large',
    },
    {
      name: '900 KB with 80,000 attributes on one element',
      body: envelope(note('', attributes(80_000))),
      status: 400,
      reason: 'attributes on one element',
    },
    {
      name: '700 KB with 80,000 attributes spread over elements',
      body: envelope(note(Array.from({ length: 2_700 }, () => `<sf:X ${attributes(30)}/>`).join(''))),
      status: 400,
      reason: 'more than 10000 attributes',
    },
    {
      name: '20,000 field elements',
      body: envelope(note('<sf:X>1</sf:X>'.repeat(20_000))),
      status: 400,
      reason: 'more than 10000 elements',
    },
    {
      name: '100,000 nested elements',
      body: envelope(note(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`)),
      status: 400,
      reason: 'nested more than',
    },
    {
      name: '200,000 entity references',
      body: envelope(note(`<sf:Name>${'&amp;'.repeat(200_000)}</sf:Name>`)),
      status: 400,
      reason: 'entity references',
    },
    {
      name: 'an element named __proto__',
      body: envelope(note('<sf:__proto__><sf:x>1</sf:x></sf:__proto__>')),
      status: 400,
      reason: '__proto__',
    },
    {
      name: 'no sf:Id',
      body: envelope(
        '<Notification><Id>04lRO0000000001AAA</Id><sObject xsi:type="sf:Account"/></Notification>',
      ),
      status: 400,
      reason: 'sObject.Id',
    },
    { name: 'malformed XML', body: envelope(note('<sf:Name>unclosed')), status: 400, reason: 'malformed' },
    { name: 'a DTD', body: `<!DOCTYPE x [<!ENTITY a "b">]>${envelope(note())}`, status: 400, reason: 'DTD' },
  ])('$name: $status with a Client fault, quickly, nothing stored', async ({ body, status, reason }) => {
    const res = await timedPost(body);
    expect(res.status).toBe(status);
    expect(res.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(res.text).toContain(reason);
    expect(res.ms).toBeLessThan(1000);
    expect(res.loopBlockedMs).toBeLessThan(1000);
    expect(stored).toBe(0);
  });

  it('refusals count against the feed: three in a row make it failing; a stored message clears them', async () => {
    for (const body of [
      envelope(note('<sf:__proto__/>')),
      envelope('<Notification/>'),
      envelope(note(), '00D000000000009AAA'),
    ])
      expect((await post(body)).status).toBeGreaterThanOrEqual(400);
    expect(health.health()).toMatchObject({
      state: 'ok',
      consecutiveFailures: 3,
      error: 'last message refused with HTTP 403: Forbidden: unexpected OrganizationId',
    });

    expect((await post(envelope(note()))).status).toBe(200);
    expect(stored).toBe(1);
    expect(health.health()).toMatchObject({ consecutiveFailures: 0, error: null, events: 1 });
  });

  it('a wrong token is not counted: anyone on the internet can send one', async () => {
    expect((await post(envelope(note()), 'wrong')).status).toBe(403);
    expect(health.health()).toMatchObject({ consecutiveFailures: 0, error: null });
  });
});
