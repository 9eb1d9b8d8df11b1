// "roster serve never stops silently", in process and in virtual time: readiness, metrics and webhook
// alerts follow what fails and what recovers, once each way.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import {
  ADMIN_TOKEN,
  POLL_YAML,
  startAlertReceiver,
  startServiceWorld,
  whenStarted,
  type AlertReceiver,
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
});
