// A hot standby with real processes on a real PostgreSQL store: two `roster serve`, the active one
// killed with SIGKILL in the middle of a batch, a leaver made in Salesforce while nobody is active. The
// standby takes over once the lease runs out, resumes from the stored checkpoints and the journal, and
// every change reaches Docebo exactly once.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cascadeAndLeaverScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';
import { createTempPostgresDb, requirePostgres, skipPostgres } from '../helpers/postgres.ts';
import { eventually, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';

let world: World | undefined;
const serves: ServeProcess[] = [];
let dropDb: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const s of serves.splice(0)) await s.kill();
  await world?.stop();
  await dropDb?.();
  world = dropDb = undefined;
});

const SERVE_YAML = `
serve: { port: 0, leaseTime: 3s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { interval: 1s, overlap: 5s }
reconcile: { schedule: "0 3 * * *", onStart: true }
queue: { window: 200ms }
`;

type Role = { role: string; reconcile: { lastRun: unknown }; queue: { queued: number } };
const roleOf = async (s: ServeProcess) => (await s.admin<Role>('GET', '/admin/status')).body;

describe.skipIf(skipPostgres())('roster serve with a hot standby (PostgreSQL)', () => {
  beforeAll(requirePostgres);

  it('kill -9 of the active instance mid-batch: the standby takes over, and a leaver made meanwhile goes out; nothing lost or doubled', async () => {
    const db = await createTempPostgresDb();
    dropDb = db.drop;
    const w = (world = await startWorld(cascadeAndLeaverScenario(200), {
      batchSize: 20,
      store: db.url,
      extraYaml: SERVE_YAML,
    }));
    const a = await startServeProcess(w.configFile);
    serves.push(a);
    await eventually(async () => {
      const s = await roleOf(a);
      return s.role === 'active' && s.reconcile.lastRun && s.queue.queued === 0 ? true : undefined;
    });
    const b = await startServeProcess(w.configFile);
    serves.push(b);
    await eventually(async () => ((await roleOf(b)).role === 'standby' ? true : undefined));

    await w.docebo.setFaults({ latencyMs: 300 });
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.doceboCallsUntil((calls) => calls.filter(isWriteCall).length >= 3);
    await a.kill();
    await w.docebo.clearFaults();
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });

    await eventually(async () => ((await roleOf(b)).role === 'active' ? true : undefined));
    await eventually(async () => ((await w.docebo.users()).every((u) => !u.active) ? true : undefined));
    const store = await openStore(db.url);
    try {
      const journal = await store.journal.list({});
      expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
      const applied = journal.filter((j) => j.outcome === 'applied').map((j) => j.username);
      expect(applied).toHaveLength(201);
      expect(new Set(applied).size).toBe(201);
      expect(applied).toContain('charlie.brown@acme.example');
    } finally {
      await store.close();
    }
  });
});
