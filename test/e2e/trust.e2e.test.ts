// End to end tests of issue #4 (trust) that need a real process: `roster serve` spawned against the
// simulators (in the test process), a real SQLite file. The rest of issue #4 runs the CLI in-process:
// test/cli/reviewed-plans.test.ts, undo.test.ts and guards.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import { runCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

// ---- Observe mode (issue #4 §2) ----
import * as serveProc from '../helpers/serve-process.ts';
import { salesforceApi as guardsSfApi } from '../../simulators/sim-admin.ts';

describe('roster serve in observe mode (issue #4 §2)', { timeout: 120_000 }, () => {
  let world: World | undefined;
  let serve: serveProc.ServeProcess | undefined;
  afterEach(async () => {
    await serve?.kill();
    await world?.stop();
    serve = undefined;
    world = undefined;
  });

  it('journals a leaver as observed and writes nothing to Docebo', async () => {
    const w = (world = await startWorld(acmeScenario({ otherContacts: 5 }), {
      extraYaml: `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}", mode: observe }
feeds:
  poll: { interval: 1s, overlap: 5s }
reconcile: { schedule: "0 3 * * *", onStart: true }
queue: { window: 200ms }
`,
    }));
    const s = (serve = await serveProc.startServeProcess(w.configFile));
    await serveProc.eventually(async () => {
      const r = await s.admin<{ reconcile: { lastRun: unknown }; queue: { queued: number }; mode: string }>(
        'GET',
        '/admin/status',
      );
      return r.body.reconcile.lastRun && r.body.queue.queued === 0 ? r.body : undefined;
    }, 40_000);
    await w.docebo.clearCalls();

    await guardsSfApi(w.sfUrl).update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });
    const row = await serveProc.eventually(
      async () => w.journal().find((j) => j.username === 'charlie.brown@acme.example'),
      20_000,
    );
    expect(row.outcome).toBe('observed');
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect((await w.docebo.users()).find((u) => u.username === 'charlie.brown@acme.example')?.active).toBe(
      true,
    );

    const status = await runCli(['status', '-c', w.configFile, '--url', s.url, '--json'], {
      env: { ROSTER_ADMIN_TOKEN: serveProc.ADMIN_TOKEN },
    });
    expect(JSON.parse(status.stdout)).toMatchObject({ mode: 'observe', held: 0 });
    expect(await s.stop()).toBe(0);
  });
});
