// What only a real process can show about apply: killed with SIGKILL between two Docebo batches, it
// leaves pending journal rows that the next apply settles. The rest of the retire suite runs the CLI
// in-process (test/cli/retire.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { bigAccountScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { spawnCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function go(...args: Parameters<typeof startWorld>): Promise<World> {
  world = await startWorld(...args);
  return world;
}

describe('roster apply as a process', () => {
  it('9. killed mid-apply, the next apply finishes the job without losing or doubling a change', async () => {
    // A short writer lease: the killed apply's lease runs out within 8 s, and the next apply waits for it.
    const w = await go(bigAccountScenario(200), { batchSize: 20, extraYaml: 'serve: { leaseTime: 8s }\n' });
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.docebo.setFaults({ latencyMs: 400 });
    const run = spawnCli(['apply', '--yes', '-c', w.configFile]);
    // Once the third batch call reaches Docebo, kill the process without warning (or learn it ended).
    await Promise.race([w.doceboCallsUntil((calls) => calls.filter(isWriteCall).length >= 3), run.closed]);
    expect(run.child.exitCode, run.stderr()).toBeNull(); // still working when killed
    run.child.kill('SIGKILL');
    await run.closed;
    // The dead process still "holds" the writer lease until it runs out: without --wait, nothing is done.
    const writesBefore = (await w.docebo.calls()).filter(isWriteCall).length;
    const refused = await w.roster('apply', ['--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ROSTER_WRITER_BUSY');
    expect(refused.stderr).toMatch(/roster apply on .+ \(pid \d+\)/);
    expect((await w.docebo.calls()).filter(isWriteCall)).toHaveLength(writesBefore);
    await w.docebo.clearFaults();
    const doneBefore = (await w.docebo.users()).filter((u) => !u.active).length;
    expect(doneBefore).toBeGreaterThan(0);
    expect(doneBefore).toBeLessThan(200);

    await w.docebo.clearCalls();
    const resume = await w.roster('apply', ['--yes', '--json', '--wait']);
    expect(resume.code, resume.stderr).toBe(0);
    const out = JSON.parse(resume.stdout) as { plan: Plan };
    expect(out.plan.items).toHaveLength(200 - doneBefore); // only what had not reached Docebo
    expect((await w.docebo.users()).filter((u) => u.active)).toEqual([]);
    // Every user has exactly one applied journal row, and nothing is left pending.
    const journal = w.journal();
    expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
    const applied = journal.filter((j) => j.outcome === 'applied').map((j) => j.username);
    expect(new Set(applied).size).toBe(200);
    expect(applied).toHaveLength(200);
  });
});
