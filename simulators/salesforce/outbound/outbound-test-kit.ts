// Test helpers for the outbound sender: a scriptable HTTP endpoint and small admin/REST callers.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body>
  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>
 </soapenv:Body>
</soapenv:Envelope>`;

export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Answer = { status: number; body: string };

/** Answers each POST with `answer(n)` (n counts from 0); Ack by default. */
export async function startReceiver(
  answer: (n: number, req: Received) => Answer | Promise<Answer> = () => ({ status: 200, body: ACK }),
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const n = received.length;
      received.push(r);
      void Promise.resolve(answer(n, r)).then((a) => {
        res.writeHead(a.status, { 'content-type': 'text/xml; charset=utf-8' }).end(a.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/om?token=t`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function call(base: string, method: string, path: string, json?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

export async function accessToken(base: string): Promise<string> {
  const res = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'a',
      client_secret: 'b',
    }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function until<T>(probe: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The notifications of one envelope: [notification id, xsi:type, record id]. */
export function notificationsOf(xml: string): { id: string; type: string; recordId: string }[] {
  const out: { id: string; type: string; recordId: string }[] = [];
  const re =
    /<Notification>\s*<Id>([^<]+)<\/Id>\s*<sObject xsi:type="sf:(\w+)"[^>]*>\s*<sf:Id>([^<]+)<\/sf:Id>/g;
  for (const m of xml.matchAll(re)) out.push({ id: m[1] ?? '', type: m[2] ?? '', recordId: m[3] ?? '' });
  return out;
}
