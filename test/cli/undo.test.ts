// End to end tests of issue #4 §3 and §4 (reactivation, undo, drift): the CLI (in-process) against the
// simulators over real HTTP, a real SQLite file. Each test builds its own world.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall, type DoceboAdminUser } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

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
