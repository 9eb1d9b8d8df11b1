// `roster serve` with the feeds Salesforce pushes (outbound messages, Change Data Capture), in process
// and in virtual time. The simulator pushes over loopback in real time; everything Roster waits for
// (windows, backoff, schedules) waits on the shared virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alert-receiver.ts';
import {
  acmeRetired,
  OM_SECRET,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
let hook: AlertReceiver | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
  await hook?.close();
  hook = undefined;
});

describe('roster serve with outbound messages', () => {
  it('retires ACME within seconds of a REST write, with duplicated and reordered messages', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 20 }), {
      outboundObjects: ['Account', 'Contact'],
      yaml: ({ orgId }) => `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  outboundMessages: { enabled: true, organizationId: "${orgId}", secret: "${OM_SECRET}" }
reconcile: { schedule: "0 3 * * *", onStart: false }
queue: { window: 200ms }
`,
    }));
    await w.sfAdmin('POST', '/__admin/outbound/faults', { duplicate: true, reorder: true });
    const started = w.clock.now().getTime();
    await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-3) });
    await w.runUntil(() => acmeRetired(w), { what: 'ACME retired' });
    expect(w.clock.now().getTime() - started).toBeLessThan(15_000);
    const journal = w.journal().filter((j) => j.outcome === 'applied');
    // Each person once, whatever the duplicates; Charlie from his own, earlier date.
    expect(new Set(journal.map((j) => j.username)).size).toBe(journal.length);
    const charlie = (await w.docebo.users()).find((u) => u.username.startsWith('charlie'));
    expect(charlie?.expiration_date).toBe(w.today(-3));
    // Every message was acknowledged (the sender may still be posting the last duplicate).
    const sender = await w.runUntil(
      async () => {
        const s = await w.sfAdmin<{ queue: number }>('GET', '/__admin/outbound');
        return s.queue === 0 ? s : undefined;
      },
      { what: 'every outbound message acknowledged', maxVirtualMs: 5_000 },
    );
    expect(sender.queue).toBe(0);
  });
});

describe('roster serve with Change Data Capture', () => {
  const cdcYaml =
    (opts: { onStart: boolean; feedTroubleInterval?: string; extra?: string }) =>
    ({ pubsub }: { pubsub: { address: string; caFile: string } | null }) => `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  cdc: { enabled: true, address: "${pubsub?.address}", caFile: ${JSON.stringify(pubsub?.caFile)} }
reconcile: { schedule: "0 3 * * *", onStart: ${opts.onStart}, feedTroubleInterval: ${opts.feedTroubleInterval ?? '15m'} }
queue: { window: 200ms }
${opts.extra ?? ''}`;

  it('retires ACME within seconds of a REST write, from the event itself (commitNumber beyond 2^53)', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 20 }), {
      pubsub: true,
      yaml: cdcYaml({ onStart: true }),
    }));
    const { reconcile } = await whenStarted(w);
    const started = w.clock.now().getTime();
    await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
    await w.runUntil(() => acmeRetired(w), { what: 'ACME retired' });
    expect(w.clock.now().getTime() - started).toBeLessThan(15_000);
    const status = await w.status();
    expect(status.feeds.map((f) => [f.feed, f.state])).toEqual([['cdc', 'ok']]);
    // Decoded, not undecodable: no resync, so the only reconciliation is the start-up one.
    expect(status.reconcile.lastRun).toEqual(reconcile.lastRun);
    const metrics = await (await fetch(new URL('/metrics', w.roster.url))).text();
    expect(metrics).toMatch(/^roster_feed_events_total\{feed="cdc"\} 1$/m);
    expect(metrics).toMatch(/^roster_cdc_undecodable_events_total 0$/m);
  });

  it('undecodable events: counted, one alert, one reconciliation per feed-trouble interval and the deferred one after it', async () => {
    hook = await startAlertReceiver();
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 20 }), {
      pubsub: true,
      yaml: cdcYaml({
        onStart: false,
        feedTroubleInterval: '2m',
        extra: `alerts: { webhookUrl: "${hook.url}" }\n`,
      }),
    }));
    await w.runUntil(async () => ((await w.status()).feeds[0]?.state === 'ok' ? true : undefined), {
      what: 'the CDC feed up',
    });
    // Every reconciliation lists Docebo's users once (fewer than a page of them); the event path never does.
    const listings = async () =>
      (await w.docebo.calls()).filter((c) => c.method === 'GET' && c.path.startsWith('/manage/v1/user'))
        .length;
    expect(await listings()).toBe(0);

    await w.sfAdmin('POST', '/__admin/pubsub/undecodable', { entity: 'Account', count: 30 });
    const first = await w.runUntil(async () => (await w.status()).reconcile.lastRun, {
      what: 'a reconciliation for the undecodable events',
    });
    const t0 = Date.parse(first.at);
    // More trouble within the interval, from any cause: it waits, merged into one.
    await w.sfAdmin('POST', '/__admin/pubsub/undecodable', { entity: 'Contact', count: 30 });
    await w.sfAdmin('POST', '/__admin/pubsub/overflow', { entity: 'Account' });
    await w.sfAdmin('POST', '/__admin/pubsub/undecodable', { entity: 'Account', count: 40 });
    // Meanwhile real events are decoded and go out at once, through the event path.
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await w.runUntil(
      async () => (await w.docebo.users()).find((u) => u.username.startsWith('charlie') && !u.active),
      { what: 'Charlie retired by his own event' },
    );
    await w.runFor(t0 + 110_000 - w.clock.now().getTime(), { stepMs: 1_000 });
    expect((await w.status()).reconcile.lastRun?.at).toBe(first.at);
    expect(await listings()).toBe(1);

    const second = await w.runUntil(
      async () => {
        const r = (await w.status()).reconcile.lastRun;
        return r && r.at !== first.at ? r : undefined;
      },
      { what: 'the deferred reconciliation', stepMs: 1_000 },
    );
    expect(Date.parse(second.at) - t0).toBeGreaterThanOrEqual(120_000);
    expect(Date.parse(second.at) - t0).toBeLessThan(125_000);
    // One reconciliation covered all of it: nothing more is owed.
    await w.runFor(5 * 60_000, { stepMs: 5_000 });
    expect((await w.status()).reconcile.lastRun?.at).toBe(second.at);
    expect(await listings()).toBe(2);

    const metrics = await (await fetch(new URL('/metrics', w.roster.url))).text();
    expect(metrics).toMatch(/^roster_cdc_undecodable_events_total 100$/m);
    expect(hook.alerts.filter((a) => a.kind === 'feed-undecodable')).toHaveLength(1);
    expect(hook.alerts.find((a) => a.kind === 'feed-undecodable')?.summary).toMatch(
      /cdc received 30 change event\(s\) it cannot decode.*at most one per 2 min/,
    );

    // Quiet for longer than the interval, the trouble has cleared: a new burst alerts again.
    await w.sfAdmin('POST', '/__admin/pubsub/undecodable', { entity: 'Account', count: 1 });
    await w.runUntil(async () => hook?.alerts.filter((a) => a.kind === 'feed-undecodable').length === 2, {
      what: 'a second undecodable alert',
    });
  });

  it('GAP_OVERFLOW and an expired replay id make the service reconcile in full', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 20 }), {
      pubsub: true,
      yaml: cdcYaml({ onStart: false }),
    }));
    await w.runUntil(async () => ((await w.status()).feeds[0]?.state === 'ok' ? true : undefined), {
      what: 'the CDC feed up',
    });
    expect((await w.status()).reconcile.lastRun).toBeNull();
    await w.sfAdmin('POST', '/__admin/pubsub/overflow', { entity: 'Account' });
    const first = await w.runUntil(async () => (await w.status()).reconcile.lastRun, {
      what: 'a reconciliation after GAP_OVERFLOW',
    });

    // Roster is down longer than the retention: its stored replay id is gone when it comes back.
    await w.stopRoster();
    await w.clock.tick(60_000);
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await w.sfAdmin('POST', '/__admin/pubsub/expire');
    await w.startRoster();
    const second = await w.runUntil(
      async () => {
        const r = (await w.status()).reconcile.lastRun;
        return r && r.at !== first.at ? r : undefined;
      },
      { what: 'a reconciliation after the expired replay id' },
    );
    expect(second.changes).toBe(1); // Charlie, whose change event had expired, was found by the resync
    const charlie = (await w.docebo.users()).find((x) => x.username.startsWith('charlie'));
    expect(charlie?.active).toBe(false);
  });
});
