// `roster serve` with the feeds Salesforce pushes (outbound messages, Change Data Capture), in process
// and in virtual time. The simulator pushes over loopback in real time; everything Roster waits for
// (windows, backoff, schedules) waits on the shared virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import {
  acmeRetired,
  OM_SECRET,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
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
    (opts: { onStart: boolean }) =>
    ({ pubsub }: { pubsub: { address: string; caFile: string } | null }) => `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
  cdc: { enabled: true, address: "${pubsub?.address}", caFile: ${JSON.stringify(pubsub?.caFile)} }
reconcile: { schedule: "0 3 * * *", onStart: ${opts.onStart} }
queue: { window: 200ms }
`;

  it('retires ACME within seconds of a REST write', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 20 }), {
      pubsub: true,
      yaml: cdcYaml({ onStart: true }),
    }));
    await whenStarted(w);
    const started = w.clock.now().getTime();
    await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
    await w.runUntil(() => acmeRetired(w), { what: 'ACME retired' });
    expect(w.clock.now().getTime() - started).toBeLessThan(15_000);
    const status = await w.status();
    expect(status.feeds.map((f) => [f.feed, f.state])).toEqual([['cdc', 'ok']]);
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
