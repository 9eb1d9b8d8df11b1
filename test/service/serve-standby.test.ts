// Two `roster serve` on one PostgreSQL store, in process on one virtual clock: one is active (holds the
// writer lease, runs the feeds, the worker and the schedule), the other stands by, reports its role,
// takes over the moment the active one hands over, and an active instance that lost its lease stops.
// kill -9 of a real process is test/e2e/serve-standby.e2e.test.ts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import type { ServiceStatus } from '../../src/app/service/service-status.ts';
import { WRITER_LEASE } from '../../src/app/writer-lease.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { startServeWith, type RunningRoster } from '../../src/compose/serve.ts';
import { createTempPostgresDb, requirePostgres, skipPostgres } from '../helpers/postgres.ts';
import {
  ADMIN_TOKEN,
  POLL_YAML,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
let second: RunningRoster | undefined;
let dropDb: (() => Promise<void>) | undefined;
afterEach(async () => {
  await second?.stop();
  await world?.stop();
  await dropDb?.();
  second = world = dropDb = undefined;
});

const statusOf = async (r: RunningRoster): Promise<ServiceStatus> =>
  (await (
    await fetch(`${r.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).json()) as ServiceStatus;
const metricOf = async (r: RunningRoster, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${r.url}/metrics`)).text())?.[1]);

async function twoInstances(): Promise<{ w: ServiceWorld; standby: RunningRoster }> {
  const db = await createTempPostgresDb();
  dropDb = db.drop;
  const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
    store: db.url,
    yaml: POLL_YAML.replace('adminToken:', 'leaseTime: 15s, adminToken:'),
  }));
  await whenStarted(w);
  const standby = (second = await startServeWith(w.config, w.clock, { logLevel: 'silent' }));
  return { w, standby };
}

describe.skipIf(skipPostgres())('roster serve: one active instance, a hot standby', () => {
  beforeAll(requirePostgres);

  it('the second instance stands by, says who is active, and writes nothing', async () => {
    const { w, standby } = await twoInstances();
    const active = await statusOf(w.roster);
    const waiting = await statusOf(standby);
    expect(active).toMatchObject({ role: 'active', ready: true });
    expect(waiting).toMatchObject({ role: 'standby', ready: true, feeds: expect.any(Array) });
    expect(waiting.writer).toMatch(/^roster serve on .+ \(pid \d+\), holding it since /);
    expect(waiting.writer).toBe(active.writer);
    expect(await metricOf(w.roster, 'roster_active')).toBe(1);
    expect(await metricOf(standby, 'roster_active')).toBe(0);
    const ready = await fetch(`${standby.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, role: 'standby' });

    // Charlie leaves: the active instance retires him; the standby polls nothing and writes nothing.
    await w.docebo.clearCalls();
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await w.runUntil(
      async () => (await w.docebo.users()).find((u) => u.username.startsWith('charlie') && !u.active),
      {
        what: 'Charlie retired by the active instance',
      },
    );
    await w.runFor(30_000, { stepMs: 1000 });
    expect((await statusOf(standby)).role).toBe('standby');
    expect((await statusOf(w.roster)).changes.applied).toBeGreaterThanOrEqual(1);
    expect((await statusOf(standby)).changes.applied).toBe(0);
  });

  it('a clean stop hands over at once: the standby takes over within a second and carries on', async () => {
    const { w, standby } = await twoInstances();
    const handedAt = w.clock.now().getTime();
    await w.stopRoster();
    w.adoptRoster(standby);
    second = undefined;
    const took = await w.runUntil(
      async () => {
        const s = await statusOf(standby);
        return s.role === 'active' ? w.clock.now().getTime() : undefined;
      },
      { stepMs: 100, maxVirtualMs: 5_000, what: 'the standby to take over' },
    );
    expect(took - handedAt).toBeLessThanOrEqual(1_100);
    // It resumed from the stored checkpoint: a change made now reaches Docebo through it.
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await w.runUntil(
      async () => (await w.docebo.users()).find((u) => u.username.startsWith('charlie') && !u.active),
      {
        what: 'Charlie retired by the new active instance',
      },
    );
    expect((await statusOf(standby)).changes.applied).toBeGreaterThanOrEqual(1);
  });

  it('an active instance whose lease another took (it paused past the lease time) stops writing and stands by', async () => {
    const { w, standby } = await twoInstances();
    // The active instance "pauses": its lease runs out without renewal and the standby takes it.
    const store = await openStore(w.config.store);
    try {
      const lease = await store.leases.get(WRITER_LEASE);
      await store.leases.release(WRITER_LEASE, lease?.id ?? '');
    } finally {
      await store.close();
    }
    await w.runUntil(async () => ((await statusOf(standby)).role === 'active' ? true : undefined), {
      what: 'the standby to take the free lease',
    });
    await w.runUntil(async () => ((await statusOf(w.roster)).role === 'standby' ? true : undefined), {
      what: 'the old active instance to notice and stand by',
      maxVirtualMs: 20_000,
    });
    expect((await statusOf(w.roster)).writer).toBe((await statusOf(standby)).writer);
  });
});
