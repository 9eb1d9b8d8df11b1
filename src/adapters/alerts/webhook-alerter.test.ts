import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/helpers/test-clock.ts';
import type { Alert } from '../../ports/alerter.ts';
import { WebhookAlerter, alertPayload, noAlerts } from './webhook-alerter.ts';

const SECRET_PATH = '/services/T000/B000/s3cr3t-webhook-token';

const alert: Alert = {
  kind: 'feed-stalled',
  severity: 'critical',
  summary: 'Feed poll stalled: no heartbeat since 2025-06-01T09:00:00.000Z',
  details: { feed: 'poll', auth: { clientSecret: 'cs', password: 'pw' }, adminToken: 't' },
  at: '2025-06-01T09:05:00.000Z',
};

// Each request takes the next scripted answer: a status, or 'hang' (never answers).
let script: (number | 'hang')[] = [];
const received: { path: string; body: unknown; contentType: string | undefined }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        body: JSON.parse(data),
        contentType: req.headers['content-type'],
      });
      const next = script.shift() ?? 200;
      if (next === 'hang') return;
      res.writeHead(next).end(next === 200 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let logs: { msg: string; fields: Record<string, unknown> }[];
let clock: TestClock;
beforeEach(() => {
  script = [];
  received.length = 0;
  logs = [];
  clock = new TestClock();
});

const alerter = (over: { url?: string; timeoutMs?: number } = {}) =>
  new WebhookAlerter({
    url: over.url ?? base + SECRET_PATH,
    clock,
    log: {
      info: () => undefined,
      error: () => undefined,
      warn: (msg, fields) => void logs.push({ msg, fields: fields as Record<string, unknown> }),
    },
    timeoutMs: over.timeoutMs ?? 5_000,
  });

describe('WebhookAlerter', () => {
  it('POSTs the Slack-compatible JSON body, secrets in details redacted', async () => {
    await alerter().send(alert);
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe(SECRET_PATH);
    expect(received[0]?.contentType).toBe('application/json');
    expect(received[0]?.body).toEqual({
      text: '[CRITICAL] Feed poll stalled: no heartbeat since 2025-06-01T09:00:00.000Z',
      kind: 'feed-stalled',
      severity: 'critical',
      summary: alert.summary,
      details: {
        feed: 'poll',
        auth: { clientSecret: '[redacted]', password: '[redacted]' },
        adminToken: '[redacted]',
      },
      at: alert.at,
    });
    expect(logs).toEqual([]);
  });

  it('retries 5xx and 429 with doubling backoff on the injected clock', async () => {
    script = [503, 429, 500, 200];
    await alerter().send(alert);
    expect(received).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(logs.map((l) => l.msg)).toEqual(Array(3).fill('alert delivery failed; retrying'));
  });

  it('gives up after 3 retries without throwing, and says so', async () => {
    script = [500, 500, 500, 500, 500];
    await expect(alerter().send(alert)).resolves.toBeUndefined();
    expect(received).toHaveLength(4);
    expect(logs.at(-1)).toMatchObject({
      msg: 'alert not delivered',
      fields: { attempt: 4, error: 'HTTP 500' },
    });
  });

  it('does not retry a 4xx other than 429 (the URL or payload is wrong)', async () => {
    script = [404];
    await alerter().send(alert);
    expect(received).toHaveLength(1);
    expect(logs).toHaveLength(1);
  });

  it('times out a hung webhook and retries', async () => {
    script = ['hang', 200];
    await alerter({ timeoutMs: 100 }).send(alert);
    expect(received).toHaveLength(2);
    expect(logs[0]?.fields.error).toBe('timed out');
  });

  it('survives an unreachable webhook and logs only its origin', async () => {
    const url = `http://127.0.0.1:1${SECRET_PATH}`;
    await expect(alerter({ url }).send(alert)).resolves.toBeUndefined();
    expect(logs).toHaveLength(4);
    expect(logs[0]?.fields.webhook).toBe('http://127.0.0.1:1');
    expect(JSON.stringify(logs)).not.toContain('s3cr3t');
  });

  it('rejects a malformed URL at construction without repeating it', () => {
    expect(() => alerter({ url: 'not a url s3cr3t' })).toThrow(
      expect.objectContaining({
        code: 'ROSTER_CONFIG_INVALID',
        message: expect.not.stringContaining('s3cr3t'),
      }),
    );
  });

  it('alertPayload uses an emoji-free severity prefix', () => {
    expect(alertPayload({ ...alert, severity: 'info', summary: 'ok again' }).text).toBe('[INFO] ok again');
  });

  it('noAlerts accepts and drops', async () => {
    await expect(noAlerts.send(alert)).resolves.toBeUndefined();
  });
});
