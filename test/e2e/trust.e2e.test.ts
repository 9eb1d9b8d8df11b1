// End to end tests of issue #4 (trust): the spawned CLI against spawned simulators, a real SQLite file.
// Each describe block builds its own worlds.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall, type DoceboAdminUser } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

// Many spawned CLI runs per test: generous time on a loaded two-core machine.
describe('reviewed plans: plan --save, show plan, apply --plan (issue #4 §1)', { timeout: 180_000 }, () => {
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
  const cli = (w: World, args: string[]) => runCli([...args, '-c', w.configFile], { cwd: w.dir });
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

describe('reactivation undoes only Roster’s own work; undo; drift (issue #4 §3, §4)', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  type Scenario = ReturnType<typeof acmeScenario>;
  const CHARLIE = 'charlie.brown@acme.example';
  const LUCY = 'lucy.vanpelt@acme.example';
  const SCHROEDER = 'schroeder.keys@acme.example';
  const scenario = () => acmeScenario({ otherContacts: 60 });
  // ACME's cascade is a fifth of this small world: the blast-radius guards are not what these tests are about.
  const openGuards = {
    extraYaml:
      '\nguards:\n  maxRetirementsPerRun: 100000\n  maxRetirementsPercent: 100\n  maxPerAccount: 100000\n  minSourceShare: 0\n',
  };
  const byName = (users: DoceboAdminUser[]) => new Map(users.map((u) => [u.username, u]));
  const acmeUsernames = (s: Scenario) =>
    s.contacts
      .filter(
        (c) => c.accountRef === 'acme' && c.Docebo_Access__c && s.users.some((u) => u.email === c.Email),
      )
      .map((c) => c.Email as string);
  /** Changes a Docebo user by hand, as an admin in Docebo would (no Roster journal entry). */
  const byHand = async (
    w: World,
    s: Scenario,
    username: string,
    state: { active: boolean; expiration_date: string | null },
  ) => {
    const u = s.users.find((x) => x.username === username);
    if (!u) throw new Error(`no user ${username} in the scenario`);
    await w.docebo.seed([{ ...u, ...state }]);
  };
  const journal = (w: World) => {
    const db = new Database(w.dbFile, { readonly: true });
    try {
      return db.prepare('SELECT username, action, outcome, run_id FROM journal ORDER BY id').all() as {
        username: string;
        action: string;
        outcome: string;
        run_id: string;
      }[];
    } finally {
      db.close();
    }
  };
  type ApplyJson = { plan: Plan; run: { id: string; applied: number; failed: number } | null };
  const applyJson = async (w: World): Promise<ApplyJson> => {
    const r = await w.roster('apply', ['--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ApplyJson;
  };

  it('ACME reactivated: restores exactly the users Roster retired — not one retired by hand, nor Charlie who also left', async () => {
    const s = scenario();
    const w = (world = await startWorld(s, openGuards));
    const retired = todayUtc(-5);
    const byHandEarlier = todayUtc(-30);
    // Lucy was retired by hand long before ACME's retirement: Roster has nothing to change for her.
    await byHand(w, s, LUCY, { active: false, expiration_date: byHandEarlier });
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-2) });
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: retired });

    const first = await applyJson(w);
    const retiredByRoster = acmeUsernames(s).filter((u) => u !== LUCY);
    expect(first.plan.items.map((i) => i.username).sort()).toEqual([...retiredByRoster].sort());
    expect(first.run).toMatchObject({ applied: 11, failed: 0 });
    expect(journal(w).every((j) => j.action === 'retire')).toBe(true);
    expect(journal(w).map((j) => j.username)).not.toContain(LUCY);

    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Active', Retired_Date__c: null });
    const plan = await w.roster('plan');
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('restore (Roster retired them for: account-retired');
    expect(plan.stdout).toContain('Account.Status__c = Active');

    const second = await applyJson(w);
    const restored = retiredByRoster.filter((u) => u !== CHARLIE);
    expect(restored).toHaveLength(10);
    expect(second.plan.items.map((i) => i.username).sort()).toEqual([...restored].sort());
    for (const i of second.plan.items) {
      expect(i).toMatchObject({ action: 'restore', before: { active: false, expirationDate: retired } });
      expect(i.after).toEqual({ active: true, expirationDate: null });
    }
    expect(second.plan.summary).toMatchObject({ restores: 10, deactivations: 0 });
    expect(second.run).toMatchObject({ applied: 10, failed: 0 });

    const users = byName(await w.docebo.users());
    for (const u of restored) expect(users.get(u), u).toMatchObject({ active: true, expiration_date: null });
    expect(users.get(LUCY)).toMatchObject({ active: false, expiration_date: byHandEarlier });
    expect(users.get(CHARLIE)).toMatchObject({ active: false, expiration_date: retired });
    const restores = journal(w).filter((j) => j.action === 'restore');
    expect(restores.map((j) => j.username).sort()).toEqual([...restored].sort());
    expect(restores.every((j) => j.outcome === 'applied' && j.run_id === second.run?.id)).toBe(true);

    // Done: nothing more to restore, nothing to write.
    await w.docebo.clearCalls();
    expect((await w.roster('plan')).code).toBe(0);
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
  });

  it('roster undo --run restores that run’s users (skipping one changed by hand since), journaled as undo', async () => {
    const s = scenario();
    const w = (world = await startWorld(s, openGuards));
    const retired = todayUtc(-5);
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: retired });
    const applied = await applyJson(w);
    const runId = applied.run?.id as string;
    expect(applied.run).toMatchObject({ applied: 12, failed: 0 });
    // An admin extends Lucy by hand after Roster's run: her state is theirs now.
    await byHand(w, s, LUCY, { active: true, expiration_date: todayUtc(60) });

    const preview = await w.roster('undo', ['--run', runId]);
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain(`Undo of run ${runId}`);
    expect(preview.stdout).toContain(`undo of run ${runId} (Roster's retire for account-retired)`);
    expect(preview.stdout).toContain('Left alone — 1 user(s)');
    expect(preview.stderr).toContain('pass --yes');
    expect(journal(w).filter((j) => j.action === 'undo')).toEqual([]);

    const r = await w.roster('undo', ['--run', runId, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ApplyJson & { skipped: { username: string; reason: string }[] };
    const undone = acmeUsernames(s).filter((u) => u !== LUCY);
    expect(out.plan.items.map((i) => i.username).sort()).toEqual([...undone].sort());
    for (const i of out.plan.items)
      expect(i).toMatchObject({ action: 'undo', after: { active: true, expirationDate: null } });
    expect(out.skipped.map((x) => x.username)).toEqual([LUCY]);
    expect(out.skipped[0]?.reason).toContain('Docebo no longer holds what Roster set');
    expect(out.run).toMatchObject({ applied: 11, failed: 0 });

    const users = byName(await w.docebo.users());
    for (const u of undone) expect(users.get(u), u).toMatchObject({ active: true, expiration_date: null });
    expect(users.get(LUCY)).toMatchObject({ active: true, expiration_date: todayUtc(60) });
    const undos = journal(w).filter((j) => j.action === 'undo');
    expect(undos.map((j) => j.username).sort()).toEqual([...undone].sort());
    expect(undos.every((j) => j.outcome === 'applied' && j.run_id === out.run?.id)).toBe(true);

    // Undoing the same run again finds Docebo no longer holding what that run set: nothing to do.
    const again = await w.roster('undo', ['--run', runId, '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as ApplyJson).plan.items).toEqual([]);
    const usage = await w.roster('undo', ['--yes']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('exactly one of --run');
  });

  it('drift: a retired leaver reactivated in Docebo while the rule holds is retired again and reported', async () => {
    const s = scenario();
    const w = (world = await startWorld(s, openGuards));
    const retired = todayUtc(-5);
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: retired });
    await applyJson(w);
    await byHand(w, s, SCHROEDER, { active: true, expiration_date: null });

    const text = await w.roster('plan');
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('drift: reactivated in Docebo while account-retired holds');
    const out = await applyJson(w);
    expect(out.plan.items.map((i) => [i.username, i.action, i.drift])).toEqual([[SCHROEDER, 'retire', true]]);
    expect(out.plan.summary).toMatchObject({ drift: 1 });
    expect(byName(await w.docebo.users()).get(SCHROEDER)).toMatchObject({
      active: false,
      expiration_date: retired,
    });
    expect(
      journal(w)
        .filter((j) => j.username === SCHROEDER)
        .map((j) => j.action),
    ).toEqual(['retire', 'retire']);
  });
});

// ---- Guards and approval, the source guard and observe mode (issue #4 §2) ----

interface GuardedApplyJson {
  plan: Plan;
  held: {
    accountId: string | null;
    accountName: string | null;
    username: string;
    guard: string;
    reason: string;
  }[];
  blocked: { reason: string } | null;
}

describe('blast-radius guards and approval (issue #4 §2)', { timeout: 240_000 }, () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });
  const usersByName = async (w: World) => new Map((await w.docebo.users()).map((u) => [u.username, u]));
  const companyIds = (w: World) =>
    Object.entries(w.ids)
      .filter(([ref]) => /^co-\d+$/.test(ref))
      .map(([, id]) => id);

  it('a bulk inactivation of every other company is held while Charlie leaves; an approved company then goes out', async () => {
    const w = (world = await startWorld(acmeScenario({ otherContacts: 400 }), {
      guards:
        'guards: { maxPerAccount: 10, maxRetirementsPerRun: 30, maxRetirementsPercent: 100, minSourceShare: 80 }\n',
    }));
    const companies = companyIds(w);
    expect(companies.length).toBeGreaterThanOrEqual(20);
    for (const id of companies)
      await w.sf.update('Account', id, { Status__c: 'Inactive', Retired_Date__c: todayUtc(-1) });
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });

    const first = await w.roster('apply', ['--yes', '--json']);
    expect(first.code, first.stderr).toBe(5);
    const out = JSON.parse(first.stdout) as GuardedApplyJson;
    expect(out.blocked).toBeNull();
    expect(out.held.length).toBeGreaterThan(30);
    expect(out.held.some((h) => h.username === 'charlie.brown@acme.example')).toBe(false);
    expect(new Set(out.held.map((h) => h.guard))).toContain('maxPerAccount');
    const applied = out.plan.items.filter((i) => !i.after.active).map((i) => i.username);
    expect(applied).toContain('charlie.brown@acme.example');
    expect(applied.length).toBeLessThanOrEqual(30);

    let users = await usersByName(w);
    expect(users.get('charlie.brown@acme.example')?.active).toBe(false);
    for (const h of out.held) expect(users.get(h.username)?.active, h.username).toBe(true);

    // The text output names each company, why it waits, and the command that lets it through.
    const again = await w.roster('apply', ['--yes']);
    expect(again.code, again.stderr).toBe(5);
    expect(again.stdout).toContain('Held for approval');
    expect(again.stdout).toMatch(
      /: \d+ retirements — \d+ retirements exceed maxPerAccount 10; approve with `roster approve --account \w{18}`/,
    );

    const chosen = out.held.find((h) => h.guard === 'maxPerAccount')!;
    const chosenUsers = out.held.filter((h) => h.accountId === chosen.accountId).map((h) => h.username);
    const approve = await w.roster('approve', ['--account', chosen.accountId!, '--by', 'lucy']);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toContain(
      `Approved ${chosenUsers.length} held change(s) for ${chosen.accountName}`,
    );
    expect(approve.stdout).toContain('by lucy');

    const third = await w.roster('apply', ['--yes', '--json']);
    expect(third.code, third.stderr).toBe(5);
    users = await usersByName(w);
    for (const u of chosenUsers) expect(users.get(u)?.active, u).toBe(false);
    const stillHeld = (JSON.parse(third.stdout) as GuardedApplyJson).held;
    expect(stillHeld.some((h) => h.accountId === chosen.accountId)).toBe(false);
    for (const h of stillHeld) expect(users.get(h.username)?.active, h.username).toBe(true);

    // Rejecting a company keeps its people as they are, and it is not held again.
    const other = stillHeld.find((h) => h.accountId !== null)!;
    expect((await w.roster('reject', ['--account', other.accountId!])).code).toBe(0);
    const fourth = JSON.parse((await w.roster('apply', ['--yes', '--json'])).stdout) as GuardedApplyJson;
    expect(fourth.held.some((h) => h.accountId === other.accountId)).toBe(false);
    expect((await usersByName(w)).get(other.username)?.active).toBe(true);
  });

  it('Salesforce returning far fewer (or no) managed contacts retires nobody until the new count is accepted', async () => {
    const scenario = acmeScenario({ otherContacts: 60 });
    const w = (world = await startWorld(scenario, {
      guards:
        'guards: { maxPerAccount: 1000, maxRetirementsPerRun: 1000, maxRetirementsPercent: 100, minSourceShare: 80 }\n',
    }));
    const baseline = await w.roster('apply', ['--yes']);
    expect(baseline.code, baseline.stderr).toBe(0);

    // A bad bulk update: every contact outside ACME loses "Docebo access", and ACME is inactivated.
    for (const c of scenario.contacts)
      if (c.accountRef !== 'acme')
        await w.sf.update('Contact', w.ids[c.ref] as string, { Docebo_Access__c: false });
    await w.sf.update('Account', w.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.docebo.clearCalls();

    const blocked = await w.roster('apply', ['--yes']);
    expect(blocked.code, blocked.stderr).toBe(5);
    expect(blocked.stdout).toContain('Blocked by minSourceShare');
    expect(blocked.stdout).toMatch(
      /Salesforce returned \d+ managed contacts, \d+% of the \d+ of the last full run/,
    );
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect((await usersByName(w)).get('charlie.brown@acme.example')?.active).toBe(true);

    // Nobody left at all: still blocked, still nothing written.
    for (const c of scenario.contacts)
      if (c.accountRef === 'acme')
        await w.sf.update('Contact', w.ids[c.ref] as string, { Docebo_Access__c: false });
    const empty = await w.roster('apply', ['--yes', '--json']);
    expect(empty.code, empty.stderr).toBe(5);
    expect((JSON.parse(empty.stdout) as GuardedApplyJson).blocked?.reason).toContain(
      'returned 0 managed contacts',
    );
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);

    // The admin says the smaller population is real: ACME's people go out.
    for (const c of scenario.contacts)
      if (c.accountRef === 'acme' && c.Docebo_Access__c)
        await w.sf.update('Contact', w.ids[c.ref] as string, { Docebo_Access__c: true });
    expect((await w.roster('approve', ['--source'])).code).toBe(0);
    const after = await w.roster('apply', ['--yes']);
    expect(after.code, after.stderr).toBe(0);
    expect((await usersByName(w)).get('charlie.brown@acme.example')?.active).toBe(false);
  });
});

describe('an HR-style bulk mistake at scale (issue #4 §6)', { timeout: 300_000 }, () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('300 accounts inactivated at once are held at the default guards while Charlie’s single leave goes through', async () => {
    const scenario = acmeScenario({ otherContacts: 0 });
    for (let a = 0; a < 300; a++) {
      scenario.accounts.push({
        ref: `bulk-${a}`,
        Name: `Partner ${a}`,
        Status__c: 'Active',
        Retired_Date__c: null,
      });
      for (let p = 0; p < 2; p++) {
        const email = `p${p}@partner${a}.example`;
        scenario.contacts.push({
          ref: `bulk-${a}-${p}`,
          accountRef: `bulk-${a}`,
          FirstName: 'Pat',
          LastName: `${a}-${p}`,
          Email: email,
          Docebo_Access__c: true,
          Left_Date__c: null,
        });
        scenario.users.push({
          username: email,
          email,
          first_name: 'Pat',
          last_name: `${a}-${p}`,
          active: true,
          expiration_date: null,
        });
      }
    }
    // The shipped defaults: 500 per run, 5 % of managed users, 200 per account, 80 % source share.
    const w = (world = await startWorld(scenario, {
      guards:
        'guards: { maxRetirementsPerRun: 500, maxRetirementsPercent: 5, maxPerAccount: 200, minSourceShare: 80 }\n',
    }));
    expect((await w.roster('apply', ['--yes'])).code).toBe(0); // baseline: nothing to do
    for (let a = 0; a < 300; a++)
      await w.sf.update('Account', w.ids[`bulk-${a}`] as string, {
        Status__c: 'Inactive',
        Retired_Date__c: todayUtc(-1),
      });
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: todayUtc(-1) });

    const r = await w.roster('apply', ['--yes', '--json']);
    expect(r.code, r.stderr).toBe(5);
    const out = JSON.parse(r.stdout) as GuardedApplyJson;
    const wentOut = out.plan.items.filter((i) => !i.after.active).map((i) => i.username);
    expect(wentOut).toContain('charlie.brown@acme.example');
    // At most 5 % of the ~612 managed learners went out; the other ~570 wait for a person.
    expect(wentOut.length).toBeLessThanOrEqual(Math.floor(0.05 * 612));
    expect(out.held.length).toBeGreaterThanOrEqual(600 - wentOut.length);
    const users = new Map((await w.docebo.users()).map((u) => [u.username, u]));
    expect(users.get('charlie.brown@acme.example')?.active).toBe(false);
    expect(out.held.filter((h) => users.get(h.username)?.active === false)).toEqual([]);
  });
});
