// The end-to-end suite of issue #2: the CLI (in-process) against the simulators, over real HTTP, with a
// real SQLite file. Each scenario builds its own world so that none depends on another's leftovers.
// Killed mid-apply, which needs a real process, is in test/e2e/retire.e2e.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario, type Scenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall, type DoceboAdminUser } from '../../simulators/sim-admin.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { bigAccountScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const small = () => acmeScenario({ otherContacts: 60 });
const acmeUsers = (users: DoceboAdminUser[]) => users.filter((u) => u.username.endsWith('@acme.example'));
const byName = (users: DoceboAdminUser[]) => new Map(users.map((u) => [u.username, u]));
const planOf = (stdout: string) => JSON.parse(stdout) as Plan;

/** The in-scope ACME people who have a Docebo user (the contractor is out of scope; Woodstock has no user). */
function inScopeAcmeUsernames(s: Scenario): string[] {
  return s.contacts
    .filter((c) => c.accountRef === 'acme' && c.Docebo_Access__c && s.users.some((u) => u.email === c.Email))
    .map((c) => c.Email as string);
}

async function go(scenario: Scenario, opts?: Parameters<typeof startWorld>[1]): Promise<World> {
  world = await startWorld(scenario, opts);
  return world;
}

describe('roster plan / apply against the simulators', () => {
  it('1. ACME inactivated with a past date: its in-scope users expire on that date and are deactivated, nobody else changes', async () => {
    const scenario = small();
    const w = await go(scenario);
    const before = byName(await w.docebo.users());
    const retired = todayUtc(-5);
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: retired });

    const plan = await w.roster('plan', ['--json']);
    expect(plan.code, plan.stderr).toBe(2);
    const items = planOf(plan.stdout).items;
    const expected = inScopeAcmeUsernames(scenario);
    expect(expected.length).toBe(12);
    expect(items.map((i) => i.username).sort()).toEqual([...expected].sort());
    for (const i of items) {
      expect(i.after).toEqual({ active: false, expirationDate: retired });
      expect(i.reasons[0]).toMatchObject({
        rule: 'account-retired',
        effectiveDate: retired,
        dateFrom: 'field',
        facts: { 'Account.Status__c': 'Inactive', 'Account.Retired_Date__c': retired },
      });
    }

    const apply = await w.roster('apply', ['--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('ACME Corporation');
    const after = await w.docebo.users();
    for (const u of after) {
      if (expected.includes(u.username)) {
        expect(u, u.username).toMatchObject({ active: false, expiration_date: retired });
      } else {
        // Other accounts, the out-of-scope contractor and the ambiguous pair: exactly as they were.
        const was = before.get(u.username);
        expect({ active: u.active, expiration_date: u.expiration_date }, u.username).toEqual({
          active: was?.active,
          expiration_date: was?.expiration_date,
        });
      }
    }
    expect(byName(after).get('snoopy.beagle@acme.example')).toMatchObject({
      active: true,
      expiration_date: null,
    });
  });

  it('2. a future retirement date sets the expiration and keeps users active; after the date the next apply deactivates them', async () => {
    const w = await go(small());
    const on = todayUtc(10);
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: on });

    const first = await w.roster('apply', ['--yes']);
    expect(first.code, first.stderr).toBe(0);
    for (const u of acmeUsers(await w.docebo.users()).filter((u) => !u.username.startsWith('snoopy')))
      expect(u, u.username).toMatchObject({ active: true, expiration_date: on });

    // Both worlds move past the date: Docebo expires the users by itself, Roster's today follows.
    await w.docebo.setClock({ advanceDays: 11 });
    await w.sf.setClock({ advanceDays: 11 });
    const later = { ROSTER_NOW: `${todayUtc(11)}T12:00:00Z` };
    const plan = await w.roster('plan', ['--json'], later);
    expect(plan.code, plan.stderr).toBe(2);
    const items = planOf(plan.stdout).items;
    expect(items).toHaveLength(12);
    for (const i of items) expect(i.after).toEqual({ active: false, expirationDate: on });

    const second = await w.roster('apply', ['--yes'], later);
    expect(second.code, second.stderr).toBe(0);
    for (const u of acmeUsers(await w.docebo.users()).filter((u) => !u.username.startsWith('snoopy')))
      expect(u, u.username).toMatchObject({ active: false, expiration_date: on });
  });

  it('3. Charlie Brown leaves and ACME stays active: only Charlie is retired, from his own date', async () => {
    const w = await go(small());
    const left = todayUtc(-2);
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: left });

    const plan = await w.roster('plan');
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('charlie.brown@acme.example');
    expect(plan.stdout).toContain(`contact-left from ${left}`);

    const apply = await w.roster('apply', ['--yes', '--json']);
    expect(apply.code, apply.stderr).toBe(0);
    const out = JSON.parse(apply.stdout) as { plan: Plan; run: { applied: number; failed: number } };
    expect(out.plan.items.map((i) => i.username)).toEqual(['charlie.brown@acme.example']);
    expect(out.run).toMatchObject({ applied: 1, failed: 0 });
    const users = byName(await w.docebo.users());
    expect(users.get('charlie.brown@acme.example')).toMatchObject({ active: false, expiration_date: left });
    expect(users.get('lucy.vanpelt@acme.example')).toMatchObject({ active: true, expiration_date: null });
  });

  it('4. no retirement date: the effective date is the day the rule was first seen, and it does not move', async () => {
    const w = await go(small());
    await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Inactive' });
    const today = todayUtc();

    const first = planOf((await w.roster('plan', ['--json'])).stdout);
    expect(first.items).toHaveLength(12);
    for (const i of first.items) {
      expect(i.reasons[0]).toMatchObject({
        rule: 'account-retired',
        effectiveDate: today,
        dateFrom: 'first-seen',
      });
      expect(i.after).toEqual({ active: false, expirationDate: today });
    }
    // Three days later the rule still holds: the remembered first sighting stays the date.
    const later = planOf(
      (await w.roster('plan', ['--json'], { ROSTER_NOW: `${todayUtc(3)}T08:00:00Z` })).stdout,
    );
    expect(later.today).toBe(todayUtc(3));
    for (const i of later.items) expect(i.reasons[0]?.effectiveDate).toBe(today);
  });

  it('5. unmatched and ambiguous contacts are reported and never written', async () => {
    const scenario = small();
    const w = await go(scenario);
    const shared = scenario.contacts.find((c) => c.ref === 'c-11');
    await w.sf.update('Account', w.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.sf.update('Account', w.ids[shared?.accountRef as string] as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    const plan = planOf((await w.roster('plan', ['--json'])).stdout);
    expect(plan.unmatched.map((u) => u.contact.name)).toContain('Woodstock Bird');
    expect(plan.unmatched.find((u) => u.contact.name === 'Woodstock Bird')?.reasons[0]?.rule).toBe(
      'account-retired',
    );
    expect(plan.ambiguous).toHaveLength(1);
    expect(plan.ambiguous[0]?.candidates).toHaveLength(2);
    const ambiguousUsers = plan.ambiguous[0]?.candidates.map((c) => c.username) ?? [];
    expect(plan.items.some((i) => ambiguousUsers.includes(i.username))).toBe(false);

    const text = await w.roster('plan');
    expect(text.stdout).toContain('Should be retired but have no Docebo user to match');
    expect(text.stdout).toContain('Ambiguous');

    expect((await w.roster('apply', ['--yes'])).code).toBe(0);
    const users = byName(await w.docebo.users());
    for (const name of ambiguousUsers)
      expect(users.get(name)).toMatchObject({ active: true, expiration_date: null });
  });

  it('6. a second apply plans nothing and makes zero Docebo writes', async () => {
    const w = await go(small());
    await w.sf.update('Account', w.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.sf.update('Contact', w.ids['c-3'] as string, { Left_Date__c: todayUtc(-4) });
    expect((await w.roster('apply', ['--yes'])).code).toBe(0);

    await w.docebo.clearCalls();
    const again = await w.roster('apply', ['--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    const calls = await w.docebo.calls();
    expect(calls.length).toBeGreaterThan(0); // it did read Docebo…
    expect(calls.filter(isWriteCall)).toEqual([]); // …and wrote nothing
    const plan = await w.roster('plan');
    expect(plan.code).toBe(0);
  });

  it('7. failed rows and 429s: the rest is applied, every row journaled, exit non-zero, and the next apply retries only the failures', async () => {
    const scenario = bigAccountScenario(60);
    const w = await go(scenario, { batchSize: 20 });
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.docebo.setFaults({
      failEveryNthRow: 10,
      respond: [{ status: 429, times: 2, retryAfterSeconds: 1, path: '/manage/v1/user/batch' }],
    });

    const first = await w.roster('apply', ['--yes', '--json']);
    expect(first.code, first.stderr).toBe(4);
    const out = JSON.parse(first.stdout) as {
      run: { applied: number; failed: number; failures: { username: string }[] };
    };
    expect(out.run.failed).toBe(6);
    expect(out.run.applied).toBe(54);
    const journal = w.journal();
    expect(journal).toHaveLength(60);
    expect(
      journal
        .filter((j) => j.outcome === 'failed')
        .map((j) => j.username)
        .sort(),
    ).toEqual(out.run.failures.map((f) => f.username).sort());
    const calls = await w.docebo.calls();
    expect(calls.filter((c) => c.status === 429).length).toBe(2);

    await w.docebo.clearFaults();
    const retry = await w.roster('apply', ['--yes', '--json']);
    expect(retry.code, retry.stderr).toBe(0);
    const second = JSON.parse(retry.stdout) as { plan: Plan; run: { applied: number; failed: number } };
    expect(second.plan.items.map((i) => i.username).sort()).toEqual(
      out.run.failures.map((f) => f.username).sort(),
    );
    expect(second.run).toMatchObject({ applied: 6, failed: 0 });
    for (const u of await w.docebo.users()) expect(u.active, u.username).toBe(false);
  });

  it('8. retiring 1,000 users costs at most ⌈1000 / batch size⌉ + a few Docebo calls', async () => {
    const w = await go(bigAccountScenario(1000));
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    await w.docebo.clearCalls();
    const apply = await w.roster('apply', ['--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    const calls = await w.docebo.calls();
    const writes = calls.filter(isWriteCall);
    expect(writes).toHaveLength(10); // 1,000 users / batch size 100
    expect(writes.every((c) => c.path === '/manage/v1/user/batch')).toBe(true);
    // The rest: one token, and reading 1,000 users at 200 per page.
    expect(calls.length).toBeLessThanOrEqual(10 + 1 + 5 + 2);
    expect((await w.docebo.users()).filter((u) => u.active)).toHaveLength(0);
  });
});
