// End to end tests of issue #4 §1 (reviewed plans): the CLI (in-process) against the simulators over
// real HTTP, a real SQLite file. Each test builds its own world.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall, type DoceboAdminUser } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

describe('reviewed plans: plan --save, show plan, apply --plan (issue #4 §1)', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  const CHARLIE = 'charlie.brown@acme.example';
  const LUCY = 'lucy.vanpelt@acme.example';
  const go = async () => {
    world = await startWorld(acmeScenario({ otherContacts: 40 }));
    return world;
  };
  const byName = (users: DoceboAdminUser[]) => new Map(users.map((u) => [u.username, u]));
  const cli = (w: World, args: string[]) => runCliInProcess([...args, '-c', w.configFile], { cwd: w.dir });
  const errorOf = (stdout: string) =>
    (JSON.parse(stdout) as { error: { code: string; message: string; action: string; details: unknown } })
      .error;
  const journalPlans = (w: World) => {
    const db = new Database(w.dbFile, { readonly: true });
    try {
      return db.prepare('SELECT username, plan_id, outcome FROM journal ORDER BY id').all() as {
        username: string;
        plan_id: string;
        outcome: string;
      }[];
    } finally {
      db.close();
    }
  };
  /** `roster plan --save`, returning the saved plan's id as printed. */
  const savePlan = async (w: World): Promise<{ id: string; stdout: string; code: number | null }> => {
    const r = await w.roster('plan', ['--save']);
    expect(r.code, r.stderr).toBe(2);
    const m =
      /Saved plan (plan-[\w-]+)\. Review with `roster show plan \1`, apply with `roster apply --plan \1`/.exec(
        r.stdout,
      );
    expect(m, r.stdout).not.toBeNull();
    return { id: m![1] as string, stdout: r.stdout, code: r.code };
  };

  it('applies exactly the saved plan after review, journaled with its id, and never twice', async () => {
    const w = await go();
    const left = todayUtc(-2);
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: left });
    await w.sf.update('Contact', w.ids['acme-1'] as string, { Left_Date__c: left });
    const { id } = await savePlan(w);

    const shown = await cli(w, ['show', 'plan', id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Plan ${id}`);
    expect(shown.stdout).toMatch(/Status\s+draft/);
    expect(shown.stdout).toContain('Basis');
    expect(shown.stdout).toContain(CHARLIE);
    const shownJson = JSON.parse((await cli(w, ['show', 'plan', id, '--json'])).stdout) as Plan & {
      status: string;
    };
    expect(shownJson.status).toBe('draft');
    expect(shownJson.items.map((i) => i.username).sort()).toEqual([CHARLIE, LUCY]);

    const listed = await cli(w, ['plans', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; status: string }[])[0]).toMatchObject({
      id,
      status: 'draft',
    });

    await w.docebo.clearCalls();
    const apply = await w.roster('apply', ['--plan', id, '--yes', '--json']);
    expect(apply.code, apply.stderr).toBe(0);
    const out = JSON.parse(apply.stdout) as {
      plan: Plan;
      run: { applied: number; failed: number };
      newSincePlan: unknown[];
    };
    expect(out.plan.id).toBe(id);
    expect(out.run).toMatchObject({ applied: 2, failed: 0 });
    expect(out.newSincePlan).toEqual([]);
    const rows = journalPlans(w);
    expect(rows.map((r) => r.username).sort()).toEqual([CHARLIE, LUCY]);
    for (const r of rows) expect(r).toMatchObject({ plan_id: id, outcome: 'applied' });
    const users = byName(await w.docebo.users());
    for (const u of [CHARLIE, LUCY])
      expect(users.get(u), u).toMatchObject({ active: false, expiration_date: left });

    expect((await cli(w, ['show', 'plan', id])).stdout).toMatch(/Status\s+applied/);
    const again = await w.roster('apply', ['--plan', id, '--yes', '--json']);
    expect(again.code).toBe(1);
    expect(errorOf(again.stdout).code).toBe('ROSTER_STORE_CONFLICT');
    expect((await w.roster('plan')).code).toBe(0);
  });

  it('refuses a stale plan, naming every moved user and what moved, and writes nothing to Docebo', async () => {
    const w = await go();
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-2) });
    await w.sf.update('Contact', w.ids['acme-1'] as string, { Left_Date__c: todayUtc(-2) });
    await w.sf.update('Contact', w.ids['acme-2'] as string, { Left_Date__c: todayUtc(-2) });
    const { id } = await savePlan(w);

    // After the review: Salesforce moves Charlie's date; a Docebo admin changes Lucy by hand.
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-4) });
    await w.docebo.seed([
      {
        username: LUCY,
        email: LUCY,
        first_name: 'Lucy',
        last_name: 'van Pelt',
        active: true,
        expiration_date: todayUtc(30),
      },
    ]);
    const before = await w.docebo.users();
    await w.docebo.clearCalls();

    const r = await w.roster('apply', ['--plan', id, '--yes', '--json']);
    expect(r.code).toBe(1);
    const error = errorOf(r.stdout);
    expect(error.code).toBe('ROSTER_PLAN_STALE');
    expect(error.message).toContain(CHARLIE);
    expect(error.message).toContain(LUCY);
    expect(error.message).not.toContain('linus.vanpelt@acme.example');
    const moved = (error.details as { moved: { username: string; causes: string[] }[] }).moved;
    expect(moved.map((m) => m.username).sort()).toEqual([CHARLIE, LUCY]);
    expect(moved.find((m) => m.username === CHARLIE)?.causes).toContain('salesforce-facts');
    expect(moved.find((m) => m.username === LUCY)?.causes).toEqual(['docebo-state']);
    expect(r.stderr).toContain('ROSTER_PLAN_STALE');
    expect(r.stderr).toContain('run `roster plan` again');

    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect(await w.docebo.users()).toEqual(before);
    expect(journalPlans(w)).toEqual([]);
    expect((await cli(w, ['show', 'plan', id])).stdout).toMatch(/Status\s+draft/);
  });

  it('does not apply a change that appeared after the plan; it names it for the next plan', async () => {
    const w = await go();
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-2) });
    const { id } = await savePlan(w);
    await w.sf.update('Contact', w.ids['acme-1'] as string, { Left_Date__c: todayUtc(-1) });

    const r = await w.roster('apply', ['--plan', id, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { run: { applied: number }; newSincePlan: { username: string }[] };
    expect(out.run.applied).toBe(1);
    expect(out.newSincePlan.map((i) => i.username)).toEqual([LUCY]);
    expect(r.stderr).toContain('new since the plan');
    expect(r.stderr).toContain('run roster plan again');
    expect(journalPlans(w).map((j) => j.username)).toEqual([CHARLIE]);
    const users = byName(await w.docebo.users());
    expect(users.get(CHARLIE)).toMatchObject({ active: false });
    expect(users.get(LUCY)).toMatchObject({ active: true, expiration_date: null });

    const next = await w.roster('plan', ['--json']);
    expect(next.code).toBe(2);
    expect((JSON.parse(next.stdout) as Plan).items.map((i) => i.username)).toEqual([LUCY]);
  });

  it('refuses a superseded plan and an unknown one', async () => {
    const w = await go();
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-2) });
    const first = await savePlan(w);
    const second = await savePlan(w);
    expect(second.stdout).toContain(`Superseded 1 older plan(s): ${first.id}`);

    const listed = JSON.parse((await cli(w, ['plans', '--json'])).stdout) as { id: string; status: string }[];
    expect(listed.find((p) => p.id === first.id)?.status).toBe('superseded');
    expect(listed.find((p) => p.id === second.id)?.status).toBe('draft');
    expect((await cli(w, ['plans'])).stdout).toContain(first.id);

    await w.docebo.clearCalls();
    const r = await w.roster('apply', ['--plan', first.id, '--yes', '--json']);
    expect(r.code).toBe(1);
    expect(errorOf(r.stdout)).toMatchObject({ code: 'ROSTER_STORE_CONFLICT' });
    expect(errorOf(r.stdout).message).toContain('superseded');
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);

    const unknown = await w.roster('apply', ['--plan', 'plan-nope', '--yes', '--json']);
    expect(unknown.code).toBe(1);
    expect(errorOf(unknown.stdout).code).toBe('ROSTER_PLAN_NOT_FOUND');
    expect(errorOf(unknown.stdout).action).toContain('roster plans');
    const missing = await cli(w, ['show', 'plan', 'plan-nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ROSTER_PLAN_NOT_FOUND');

    const ok = await w.roster('apply', ['--plan', second.id, '--yes']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(journalPlans(w).map((j) => j.plan_id)).toEqual([second.id]);
  });
});
