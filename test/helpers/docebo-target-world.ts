// One world for the LmsTarget contract: DoceboLmsTarget talking real HTTP to a Docebo simulator on
// loopback, both on one TestClock (sleeps pass at once), with the executor's batching loop over it.
import { DoceboLmsTarget, type DoceboLmsTargetOptions } from '../../src/adapters/docebo/docebo-lms-target.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { doceboUserId } from '../../src/domain/ids.ts';
import type { LmsChange, LmsWriteOutcome } from '../../src/domain/lms.ts';
import { SlidingWindowBudget } from '../../src/executor/sliding-window-budget.ts';
import { writeInBatches } from '../../src/executor/write-batches.ts';
import {
  startDoceboSimulator,
  type DoceboSimulatorOptions,
  type RunningDoceboSimulator,
  type SeedUser,
} from '../../simulators/docebo/index.ts';
import { doceboAdmin } from '../../simulators/sim-admin.ts';
import { TestClock } from './test-clock.ts';

export const SECRET = 'top-secret-value-42';

const running: RunningDoceboSimulator[] = [];

/** For the suite's afterEach: closes every simulator a world started. */
export async function closeDoceboWorlds(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

export const seedUser = (n: number, extra: Partial<SeedUser> = {}): SeedUser => ({
  username: `learner${String(n).padStart(4, '0')}@example.com`,
  email: `learner${n}@example.com`,
  first_name: `First${n}`,
  last_name: `Last${n}`,
  active: true,
  expiration_date: null,
  ...extra,
});

export interface DoceboTargetWorld {
  url: string;
  clock: TestClock;
  budget: SlidingWindowBudget;
  target: DoceboLmsTarget;
  admin: ReturnType<typeof doceboAdmin>;
  ids: Record<string, string>;
  /** The executor's batching loop over this target; `onBatch` sees the count done after each batch. */
  write(changes: LmsChange[], onBatch?: (done: number) => void): Promise<LmsWriteOutcome[]>;
}

export async function doceboTargetWorld(
  opts: {
    users?: SeedUser[];
    sim?: DoceboSimulatorOptions;
    target?: Partial<DoceboLmsTargetOptions>;
    callsPerHour?: number;
    /** Changes per batch call (roster.yaml docebo.batchSize); default 100. */
    batchSize?: number;
  } = {},
): Promise<DoceboTargetWorld> {
  const clock = new TestClock('2025-06-01T09:00:00Z');
  const sim = await startDoceboSimulator({
    quiet: true,
    clientId: 'roster-app',
    clientSecret: SECRET,
    now: () => clock.now(),
    ...opts.sim,
  });
  running.push(sim);
  const admin = doceboAdmin(sim.url);
  const { ids } = await admin.seed(opts.users ?? []);
  const budget = new SlidingWindowBudget({ callsPerHour: opts.callsPerHour ?? 1000, clock });
  const target = new DoceboLmsTarget({
    baseUrl: sim.url,
    grant: 'client_credentials',
    clientId: 'roster-app',
    clientSecret: SECRET,
    batchIdentifyBy: 'user_id',
    budget,
    clock,
    random: () => 0.5,
    ...opts.target,
  });
  const write = (changes: LmsChange[], onBatch?: (done: number) => void) => {
    let done = 0;
    return writeInBatches(target, changes, (c) => c, opts.batchSize ?? 100, {
      after: async (batch) => onBatch?.((done += batch.length)),
    });
  };
  return { url: sim.url, clock, budget, target, admin, ids, write };
}

export const retire = (w: DoceboTargetWorld, username: string, date: string): LmsChange => ({
  userId: doceboUserId(w.ids[username] as string),
  username,
  before: { active: true, expirationDate: null },
  after: { active: false, expirationDate: date as IsoDate },
});

/** Gives back access: active again, no expiration date. */
export const restore = (w: DoceboTargetWorld, username: string, from: string): LmsChange => ({
  userId: doceboUserId(w.ids[username] as string),
  username,
  before: { active: false, expirationDate: from as IsoDate },
  after: { active: true, expirationDate: null },
});

export const batchCalls = async (w: DoceboTargetWorld) =>
  (await w.admin.calls()).filter((c) => c.method === 'POST' && c.path === '/manage/v1/user/batch');

export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
