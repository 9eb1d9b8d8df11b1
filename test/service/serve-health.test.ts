// "roster serve never stops silently", in process and in virtual time: readiness, metrics and webhook
// alerts follow what fails and what recovers, once each way.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alert-receiver.ts';
import {
  ADMIN_TOKEN,
  POLL_YAML,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
let receiver: AlertReceiver | undefined;
afterEach(async () => {
  await world?.stop();
  await receiver?.close();
  world = undefined;
  receiver = undefined;
});

const readyz = async (w: ServiceWorld) => {
  const r = await fetch(new URL('/readyz', w.roster.url));
  return { status: r.status, body: (await r.json()) as { ready: boolean; problems: string[] } };
};

describe('roster serve never stops silently', () => {
  it('a failing feed fails /readyz, shows in /metrics, alerts the webhook, and alerts again when it recovers', async () => {
    const hook = (receiver = await startAlertReceiver());
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: POLL_YAML + `alerts: { webhookUrl: "${hook.url}" }\n`,
    }));
    await whenStarted(w);
    await w.sfAdmin('POST', '/__admin/faults', { respond: [{ status: 503, times: 1000, path: '/query' }] });
    const failing = await w.runUntil(
      async () => {
        const r = await readyz(w);
        return r.status === 503 ? r.body : undefined;
      },
      { what: '/readyz failing' },
    );
    expect(failing.problems.join(' ')).toMatch(/poll/);
    await w.runUntil(async () => hook.alerts.some((a) => a.kind === 'feed-failing'), {
      what: 'a feed-failing alert',
    });
    const metrics = await (await fetch(new URL('/metrics', w.roster.url))).text();
    expect(metrics).toContain('roster_feed_lag_seconds');

    await w.sfAdmin('DELETE', '/__admin/faults');
    await w.runUntil(async () => (await readyz(w)).status === 200, { what: '/readyz ready again' });
    await w.runUntil(async () => hook.alerts.some((a) => a.kind === 'feed-recovered'), {
      what: 'a feed-recovered alert',
    });
    expect(hook.alerts.every((a) => typeof a.text === 'string' && !a.text.includes(ADMIN_TOKEN))).toBe(true);
  });

  it('Docebo refusing a leaver: ready → not ready → ready, with one alert each way however many checks run', async () => {
    const hook = (receiver = await startAlertReceiver());
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: POLL_YAML + `alerts: { webhookUrl: "${hook.url}" }\n`,
    }));
    await whenStarted(w);
    expect((await readyz(w)).status).toBe(200);
    // Per-row failures under HTTP 200: no retry inside the call, so every failed round is one job attempt
    // (a 5xx would be retried with backoff sleeps, and a sleep on the test clock jumps time for the feeds too).
    await w.docebo.setFaults({ failUsernames: ['charlie.brown@acme.example'] });
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });

    // Three rounds in a row fail (the job backs off in between); the next health check says so.
    const down = await w.runUntil(
      async () => {
        const r = await readyz(w);
        return r.status === 503 ? r.body : undefined;
      },
      { what: '/readyz failing', stepMs: 500, maxVirtualMs: 10 * 60_000 },
    );
    expect(down.problems.join(' ')).toMatch(/apply batches failed in a row/);
    // It stays down for a while: many health checks, still a single alert.
    await w.runFor(60_000, { stepMs: 500 });
    expect((await readyz(w)).status).toBe(503);
    const applyAlerts = () => hook.alerts.filter((a) => a.kind === 'apply-failures');
    expect(applyAlerts().map((a) => a.severity)).toEqual(['critical']);
    expect((await w.docebo.users()).find((u) => u.username.startsWith('charlie'))?.active).toBe(true);

    await w.docebo.clearFaults();
    await w.runUntil(async () => (await readyz(w)).status === 200, {
      what: '/readyz ready again',
      stepMs: 500,
      maxVirtualMs: 30 * 60_000,
    });
    await w.runFor(60_000, { stepMs: 500 });
    expect((await readyz(w)).status).toBe(200);
    expect(applyAlerts().map((a) => a.severity)).toEqual(['critical', 'info']);
    expect((await w.docebo.users()).find((u) => u.username.startsWith('charlie'))?.active).toBe(false);
    expect((await w.status()).queue).toMatchObject({ queued: 0, dead: 0 });
  });
});
