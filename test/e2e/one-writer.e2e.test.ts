// One writer at a time, shown with real processes: two `roster apply` at once (the second refuses,
// naming the first, or waits for it; Docebo gets each change once), `apply` next to a running
// `roster serve`, and processes starting together on a store that does not exist yet.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { bigAccountScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';
import { ADMIN_TOKEN, eventually, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';

let world: World | undefined;
let serve: ServeProcess | undefined;
afterEach(async () => {
  await serve?.kill();
  await world?.stop();
  serve = world = undefined;
});

describe('one writer at a time', () => {
  it('two applies at once: the second refuses naming the first, or waits for it; nothing is written twice', async () => {
    const w = (world = await startWorld(bigAccountScenario(120), { batchSize: 10 }));
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.docebo.setFaults({ latencyMs: 500 });
    const first = spawnCli(['apply', '--yes', '-c', w.configFile]);
    await Promise.race([w.doceboCallsUntil((calls) => calls.some(isWriteCall)), first.closed]);
    expect(first.child.exitCode, first.stderr()).toBeNull(); // still writing

    // A second apply (this test process is its client) while the first writes: refused at once.
    const refused = await w.roster('apply', ['--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ROSTER_WRITER_BUSY');
    expect(refused.stderr).toMatch(/roster apply on .+ \(pid \d+\), holding it since/);

    const waiting = w.roster('apply', ['--yes', '--wait', '--json']);
    expect(await first.closed, first.stderr()).toBe(0);
    const second = await waiting;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Waiting for the writer lease: roster apply on');
    // The second one planned from what the first had written: nothing left to do.
    expect((JSON.parse(second.stdout) as { plan: { items: unknown[] } }).plan.items).toEqual([]);
    const batchWrites = (await w.docebo.calls()).filter((c) => c.path === '/manage/v1/user/batch');
    expect(batchWrites).toHaveLength(12);
    const applied = w.journal().filter((j) => j.outcome === 'applied');
    expect(applied).toHaveLength(120);
    expect(new Set(applied.map((j) => j.username)).size).toBe(120);
  });

  it('apply next to a running roster serve hands its work to the service and reports how it ended', async () => {
    // No feed: only a reconciliation can find Charlie's leave, and the apply asks the service for one.
    const w = (world = await startWorld(acmeScenario({ otherContacts: 5 }), {
      extraYaml: `
serve: { port: 0, leaseTime: 3s, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
reconcile: { schedule: "0 3 * * *", onStart: true }
`,
    }));
    const s = (serve = await startServeProcess(w.configFile));
    await eventually(async () => {
      const r = await s.admin<{ role: string; reconcile: { lastRun: unknown } }>('GET', '/admin/status');
      return r.body.role === 'active' && r.body.reconcile.lastRun ? true : undefined;
    });
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });
    const apply = await w.spawnRoster('apply', ['--yes'], { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(
      /roster serve on .+ \(pid \d+\), holding it since .+ this apply is handed to it/,
    );
    expect(apply.stdout).toContain('charlie.brown@acme.example');
    expect(apply.stdout).toMatch(/ended succeeded: 1 change\(s\), 1 applied, 0 failed, 0 held/);
    const charlie = (await w.docebo.users()).find((u) => u.username === 'charlie.brown@acme.example');
    expect(charlie).toMatchObject({ active: false, expiration_date: todayUtc(-1) });
    expect(w.journal().filter((j) => j.username === 'charlie.brown@acme.example')).toHaveLength(1);
  });

  it('processes starting together on a store that does not exist yet all start (migrations run once)', async () => {
    const w = (world = await startWorld(acmeScenario({ otherContacts: 5 })));
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });
    const runs = await Promise.all(
      Array.from({ length: 3 }, () => runCli(['plan', '-c', w.configFile], { cwd: w.dir })),
    );
    for (const r of runs) {
      expect(r.stderr).not.toContain('already exists');
      expect(r.code, r.stderr).toBe(2);
    }
  });
});
