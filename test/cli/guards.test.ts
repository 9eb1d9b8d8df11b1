// End to end tests of issue #4 §2 and §6 (blast-radius guards, approval, the source guard, an HR-style
// bulk mistake at scale): the CLI (in-process) against the simulators over real HTTP, a real SQLite
// file. Each test builds its own world.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

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

describe('blast-radius guards and approval (issue #4 §2)', () => {
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

describe('an HR-style bulk mistake at scale (issue #4 §6)', () => {
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
