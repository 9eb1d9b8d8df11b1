// The apply loop on a real SQLite store: batches, per-row failures as data, the write-ahead journal,
// and resuming after a crash between Docebo's answer and the journal. Docebo is an in-memory fake there;
// an answer Docebo sends but Roster cannot read goes through the real adapter and the simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DoceboLmsTarget } from '../../src/adapters/docebo/docebo-lms-target.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { settleInterrupted } from '../../src/app/settle-interrupted.ts';
import { factValue } from '../../src/domain/crm.ts';
import type { DoceboUserId } from '../../src/domain/ids.ts';
import type { LmsChange, LmsUser, LmsWriteOutcome } from '../../src/domain/lms.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { applyPlan } from '../../src/executor/apply-plan.ts';
import { executionOrder } from '../../src/executor/execution-order.ts';
import { SlidingWindowBudget } from '../../src/executor/sliding-window-budget.ts';
import { buildPlan } from '../../src/planner/build-plan.ts';
import { systemClock } from '../../src/ports/clock.ts';
import type { LmsTarget } from '../../src/ports/lms-target.ts';
import type { Store } from '../../src/ports/store.ts';
import { startDoceboSimulator, type RunningDoceboSimulator } from '../../simulators/docebo/index.ts';
import { doceboAdmin } from '../../simulators/sim-admin.ts';
import { account, contact, d, user } from '../helpers/facts.ts';
import { TestClock } from '../helpers/test-clock.ts';

/** Docebo in memory: applies rows, fails the ones it is told to, records each call's size. */
class FakeLms implements LmsTarget {
  readonly users: Map<DoceboUserId, LmsUser>;
  readonly calls: number[] = [];
  failUsers = new Set<DoceboUserId>();
  throwOnCall: number | null = null;
  private inFlight = 0;

  constructor(users: LmsUser[]) {
    this.users = new Map(users.map((u) => [u.id, { ...u }]));
  }
  async listUsers(): Promise<LmsUser[]> {
    return [...this.users.values()].map((u) => ({ ...u }));
  }
  async writeBatch(changes: LmsChange[]): Promise<LmsWriteOutcome[]> {
    if (this.inFlight > 0) throw new Error('concurrent batch');
    this.inFlight++;
    try {
      this.calls.push(changes.length);
      if (this.throwOnCall === this.calls.length) throw new Error('Docebo is down');
      return changes.map((c) => {
        if (this.failUsers.has(c.userId))
          return {
            userId: c.userId,
            ok: false as const,
            error: { code: 'ROSTER_DOCEBO_REJECTED' as const, message: 'user is locked', retryable: false },
          };
        const u = this.users.get(c.userId);
        if (u) Object.assign(u, c.after);
        return { userId: c.userId, ok: true as const };
      });
    } finally {
      this.inFlight--;
    }
  }
  async checkAccess() {
    return [];
  }
}

const acme = account(1, 'ACME', { Status__c: 'Inactive', Retired_Date__c: '2026-10-31' });
const rules = [
  {
    name: 'account-retired',
    retireOn: 'Account.Retired_Date__c',
    fields: ['Account.Status__c'],
    holds: (c: Parameters<typeof factValue>[0]) => factValue(c, 'Account.Status__c') === 'Inactive',
  },
];

function planFor(users: LmsUser[], n: number): Plan {
  const contacts = Array.from({ length: n }, (_, i) => contact(i + 1, { account: acme }));
  return buildPlan({
    id: `plan-${Math.random().toString(36).slice(2, 8)}`,
    createdAt: '2026-11-24T10:00:00.000Z',
    today: d('2026-11-24'),
    mode: 'expire-and-deactivate',
    contacts,
    users,
    matchKeys: [{ docebo: 'email', salesforce: 'Email' }],
    rules,
    observations: [],
  }).plan;
}

let dir: string;
let store: Store;
let runs = 0;
const deps = (lms: LmsTarget, s: Store = store) => ({
  lms,
  store: s,
  clock: systemClock,
  newId: () => `run-${++runs}`,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-apply-'));
  store = await openStore(`sqlite:${join(dir, 'roster.db')}`);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('applyPlan on a real SQLite store', () => {
  it('writes in sequential batches of the configured size and journals every row as applied', async () => {
    const users = Array.from({ length: 5 }, (_, i) => user(i + 1));
    const lms = new FakeLms(users);
    const plan = planFor(users, 5);
    await store.plans.save(plan, 'draft');

    const result = await applyPlan(plan, deps(lms), { batchSize: 2 });
    expect(lms.calls).toEqual([2, 2, 1]);
    expect(result).toMatchObject({ status: 'succeeded', applied: 5, failed: 0 });
    const journal = await store.journal.list({ runId: result.runId });
    expect(journal).toHaveLength(5);
    expect(journal.every((j) => j.outcome === 'applied' && j.after.active === false)).toBe(true);
    expect((await store.plans.get(plan.id))?.status).toBe('applied');
    for (const u of lms.users.values())
      expect(u).toMatchObject({ active: false, expirationDate: '2026-10-31' });
  });

  it('keeps going past failed rows and a failed batch, and journals each failure with its error', async () => {
    const users = Array.from({ length: 6 }, (_, i) => user(i + 1));
    const lms = new FakeLms(users);
    lms.failUsers.add(users[0]!.id);
    lms.throwOnCall = 2; // the second batch fails as a whole
    const plan = planFor(users, 6);
    await store.plans.save(plan, 'draft');

    const result = await applyPlan(plan, deps(lms), { batchSize: 2 });
    expect(result).toMatchObject({ status: 'partially-failed', applied: 3, failed: 3 });
    const journal = await store.journal.list({ runId: result.runId });
    expect(journal).toHaveLength(6);
    expect(journal.some((j) => j.outcome === 'pending')).toBe(false);
    const failed = journal.filter((j) => j.outcome === 'failed');
    expect(failed.map((j) => j.error?.code).sort()).toEqual([
      'ROSTER_DOCEBO_REJECTED',
      'ROSTER_INTERNAL',
      'ROSTER_INTERNAL',
    ]);
    expect((await store.plans.get(plan.id))?.status).toBe('partially-applied');
  });

  it('after a crash between Docebo and the journal, resumes without losing or doubling a change', async () => {
    const users = Array.from({ length: 4 }, (_, i) => user(i + 1));
    const lms = new FakeLms(users);
    const plan = planFor(users, 4);
    await store.plans.save(plan, 'draft');
    // The process "dies" right after Docebo took the second batch, before the journal is settled.
    let settles = 0;
    const crashing: Store = {
      ...store,
      journal: {
        ...store.journal,
        append: (entries) => store.journal.append(entries),
        listUnsettled: () => store.journal.listUnsettled(),
        list: (q) => store.journal.list(q),
        ownership: () => store.journal.ownership(),
        settle: async (settlements) => {
          if (++settles === 2) throw new Error('killed');
          return store.journal.settle(settlements);
        },
      },
    };
    await expect(applyPlan(plan, deps(lms, crashing), { batchSize: 2 })).rejects.toThrow('killed');
    expect((await store.journal.listUnsettled()).length).toBe(0); // its run is still `running`

    expect(await store.runs.markInterrupted()).toBe(1);
    const pending = await store.journal.listUnsettled();
    expect(pending.map((p) => p.username)).toEqual(['user3', 'user4']);
    // Someone re-activated user4 in Docebo meanwhile: that change did not stick and must be retried.
    const u4 = lms.users.get(users[3]!.id)!;
    Object.assign(u4, { active: true, expirationDate: null });

    expect(await settleInterrupted({ store, clock: systemClock }, await lms.listUsers())).toBe(2);
    const journal = await store.journal.list({});
    expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
    expect(journal.find((j) => j.username === 'user3')?.outcome).toBe('applied');
    expect(journal.find((j) => j.username === 'user4')).toMatchObject({
      outcome: 'failed',
      error: { code: 'ROSTER_INTERRUPTED' },
    });

    // The next plan, from Docebo's actual state, holds exactly the change that did not stick.
    const next = planFor(await lms.listUsers(), 4);
    expect(next.items.map((i) => i.username)).toEqual(['user4']);
    const before = lms.calls.length;
    await store.plans.save(next, 'draft');
    await applyPlan(next, deps(lms), { batchSize: 2 });
    expect(lms.calls.slice(before)).toEqual([1]);
    const perUser = (await store.journal.list({}))
      .filter((j) => j.outcome === 'applied')
      .map((j) => j.username);
    expect(perUser.sort()).toEqual(['user1', 'user2', 'user3', 'user4']);
  });
});

describe('applyPlan when Docebo answers a batch with a 2xx that cannot be read (real adapter, simulator)', () => {
  let sim: RunningDoceboSimulator;
  const BATCH = '/manage/v1/user/batch';

  beforeEach(async () => {
    sim = await startDoceboSimulator({ quiet: true });
  });
  afterEach(() => sim.close());

  /** Six learners in the simulator, Roster's target on it, and the plan that retires them all. */
  async function sixToRetire() {
    const admin = doceboAdmin(sim.url);
    await admin.seed(
      Array.from({ length: 6 }, (_, i) => ({
        username: `user${i + 1}`,
        email: `person${i + 1}@example.com`,
        first_name: 'First',
        last_name: `Last${i + 1}`,
        active: true,
        expiration_date: null,
      })),
    );
    const clock = new TestClock('2026-11-24T10:00:00Z');
    const lms = new DoceboLmsTarget({
      baseUrl: sim.url,
      grant: 'client_credentials',
      clientId: 'roster',
      clientSecret: 'roster-secret',
      batchIdentifyBy: 'user_id',
      budget: new SlidingWindowBudget({ callsPerHour: 1000, clock }),
      clock,
      random: () => 0.5,
      maxRetries: 1,
    });
    const plan = planFor(await lms.listUsers(), 6);
    await store.plans.save(plan, 'draft');
    await admin.clearCalls();
    return { admin, lms, plan };
  }

  const writes = async (admin: ReturnType<typeof doceboAdmin>) =>
    (await admin.calls()).filter((c) => c.method !== 'GET' && c.path === BATCH);

  it('never sends the batch again: settles its rows against one fresh listing, nothing lost or doubled', async () => {
    const { admin, lms, plan } = await sixToRetire();
    // The first batch's answer is cut off; inside it, Docebo refused one of the two rows.
    const [took, refused] = executionOrder(plan.items).map((i) => i.username);
    await admin.setFaults({
      unreadable: [{ times: 1, path: BATCH }],
      failUsernames: [refused ?? ''],
    });

    const result = await applyPlan(plan, deps(lms), { batchSize: 2 });

    // Three batches, each sent once, and one listing to learn what the unreadable one did.
    expect((await writes(admin)).map((c) => c.status)).toEqual([200, 200, 200]);
    expect((await admin.calls()).filter((c) => c.method === 'GET')).toHaveLength(1);
    expect(result).toMatchObject({ applied: 5, failed: 1, unconfirmed: { checked: 2, leftPending: 0 } });
    const journal = await store.journal.list({ runId: result.runId });
    expect(journal).toHaveLength(6);
    expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
    expect(journal.find((j) => j.username === took)?.outcome).toBe('applied');
    // Docebo refused that row inside the answer nobody could read: its state says so.
    const failed = journal.find((j) => j.username === refused);
    expect(failed).toMatchObject({ outcome: 'failed', error: { code: 'ROSTER_DOCEBO_BAD_RESPONSE' } });
    expect(failed?.error?.message).toMatch(/does not hold this change/);
    // Applied means owned: a later restore of the one that took is Roster's to make.
    const owned = (await store.journal.ownership()).map((o) => o.username);
    expect(owned).toHaveLength(5);
    expect(owned).toContain(took);
    expect(owned).not.toContain(refused);
  });

  it('leaves the rows pending when Docebo cannot be listed either; the next listing settles them', async () => {
    const { admin, lms, plan } = await sixToRetire();
    // The batch's answer is cut off, and so are both tries of the listing after it.
    await admin.setFaults({
      unreadable: [
        { times: 1, path: BATCH },
        { times: 2, path: '/manage/v1/user' },
      ],
    });
    const result = await applyPlan(plan, deps(lms), { batchSize: 6 });

    expect(result).toMatchObject({ applied: 0, failed: 6, unconfirmed: { checked: 6, leftPending: 6 } });
    expect(result.outcomes[0]?.error?.message).toMatch(/stays pending until the next full listing/);
    expect((await writes(admin)).map((c) => c.status)).toEqual([200]);
    expect(await store.journal.listUnsettled()).toHaveLength(6);

    // The next apply's listing (settle-interrupted.ts) finds them all carried out.
    expect(await settleInterrupted({ store, clock: systemClock }, await lms.listUsers())).toBe(6);
    const journal = await store.journal.list({ runId: result.runId });
    expect(journal.every((j) => j.outcome === 'applied')).toBe(true);
    expect(await writes(admin)).toHaveLength(1);
  });
});
