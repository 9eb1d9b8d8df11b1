// How `roster serve` orders its work, in process and in virtual time: the micro-batch window, cascades
// in rounds, leavers before accounts, the reconcile schedule and a graceful stop. No feed runs here:
// the tests change Salesforce directly and hand the service its keys the way a feed does (deliver).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import {
  bigAccountScenario,
  cascadeAndLeaverScenario,
} from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import type { DirtyKind } from '../../src/domain/work.ts';
import { startServiceWorld, type ServiceWorld } from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const quietYaml = (opts: { window?: string; claimLimit?: number; schedule?: string } = {}) => `
serve: { port: 0, adminToken: "\${ROSTER_ADMIN_TOKEN}" }
feeds:
  poll: { enabled: false }
reconcile: { schedule: "${opts.schedule ?? '0 3 * * *'}", onStart: false }
queue: { window: ${opts.window ?? '200ms'}${opts.claimLimit ? `, claimLimit: ${opts.claimLimit}` : ''} }
`;

/** What a feed does: the service queues the key and the worker picks it up when the window closes. */
const deliver = (w: ServiceWorld, kind: DirtyKind, id: string) =>
  w.roster.service.deliver({ keys: [{ kind, id, source: 'poll' }] });

/** Runs (in journal order) with the usernames each one applied. */
function runsOf(w: ServiceWorld): { run: string; users: string[] }[] {
  const runs: { run: string; users: string[] }[] = [];
  for (const j of w.journal()) {
    if (j.outcome !== 'applied') continue;
    const last = runs.at(-1);
    if (last?.run === j.run_id) last.users.push(j.username);
    else runs.push({ run: j.run_id, users: [j.username] });
  }
  return runs;
}

const CHARLIE = 'charlie.brown@acme.example';

describe('the micro-batch window', () => {
  it('sends events that arrive within the window together in one round; later events ride along and do not extend it', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: quietYaml({ window: '1s' }),
    }));
    await w.settle();
    await w.docebo.clearCalls();

    const opened = w.clock.now().getTime();
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await deliver(w, 'contact', w.ids.charlie as string);
    await w.runFor(600);
    await w.sf.update('Contact', w.ids['acme-1'] as string, { Left_Date__c: w.today(-1) });
    await deliver(w, 'contact', w.ids['acme-1'] as string);
    await w.runFor(350);
    // 950 ms after the first event: the window is still open, nothing went to Docebo.
    expect(w.journal()).toEqual([]);
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);

    await w.runUntil(async () => runsOf(w).length > 0, { stepMs: 10, what: 'the first round' });
    // The window closed 1 s after the first event, not 1 s after the second.
    expect(w.clock.now().getTime() - opened).toBe(1_000);
    expect(runsOf(w).map((r) => r.users.sort())).toEqual([[CHARLIE, 'lucy.vanpelt@acme.example']]);

    // An event after the window closed opens a new one: its own round, a window later.
    const second = w.clock.now().getTime();
    await w.sf.update('Contact', w.ids['acme-2'] as string, { Left_Date__c: w.today(-1) });
    await deliver(w, 'contact', w.ids['acme-2'] as string);
    await w.runUntil(async () => runsOf(w).length > 1, { stepMs: 10, what: 'the second round' });
    expect(w.clock.now().getTime() - second).toBe(1_000);
    expect(runsOf(w).map((r) => r.users)).toEqual([
      [CHARLIE, 'lucy.vanpelt@acme.example'],
      ['linus.vanpelt@acme.example'],
    ]);
  });
});

describe('cascades and leavers', () => {
  it('retires a cascade in rounds of 500; a leaver queued meanwhile goes out in the next round, before the rest', async () => {
    const w = (world = await startServiceWorld(cascadeAndLeaverScenario(1200)));
    await w.settle();
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: w.today(-1),
    });
    // Slow Docebo calls keep the first round in flight long enough to queue the leaver during it.
    await w.docebo.setFaults({ latencyMs: 100 });
    await deliver(w, 'account', w.ids.big as string);
    await w.clock.tick(200);
    await w.untilRealTime(() => w.journal().length > 0, 'the first round writing');
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    await deliver(w, 'contact', w.ids.charlie as string);
    await w.docebo.clearFaults();

    await w.runUntil(async () => ((await w.docebo.users()).every((u) => !u.active) ? true : undefined), {
      what: 'every user retired',
    });
    const runs = runsOf(w);
    expect(runs.map((r) => r.users.length)).toEqual([500, 500, 201]);
    expect(runs[0]?.users).not.toContain(CHARLIE);
    // The next round after he was queued, and first in it: before the other 700 of the cascade.
    expect(runs[1]?.users[0]).toBe(CHARLIE);
    expect(w.journal().filter((j) => j.outcome !== 'applied')).toEqual([]);
  });

  it('claims leavers (contact jobs) before accounts, whatever the order they were queued in', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: quietYaml({ claimLimit: 1 }),
    }));
    await w.settle();
    await w.sf.update('Account', w.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: w.today(-1),
    });
    await w.sf.update('Contact', w.ids['c-0'] as string, { Left_Date__c: w.today(-1) });
    await deliver(w, 'account', w.ids.acme as string);
    await deliver(w, 'contact', w.ids['c-0'] as string);

    await w.runUntil(async () => runsOf(w).length === 2, { what: 'two rounds' });
    const [first, second] = runsOf(w);
    expect(first?.users).toHaveLength(1);
    expect(first?.users[0]).toMatch(/@globex\.example$/);
    expect(second?.users).toHaveLength(12);
    expect(second?.users.every((u) => u.endsWith('@acme.example'))).toBe(true);
  });
});

describe('the reconcile schedule', () => {
  it('reconciles when the cron says, in the schedule’s timezone, and arms the next one', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: quietYaml({ schedule: '0 3 * * *' }),
      start: '2026-03-02T02:59:00Z',
    }));
    await w.settle();
    const at0 = await w.status();
    expect(at0.reconcile).toMatchObject({ lastRun: null, nextAt: '2026-03-02T03:00:00.000Z' });
    // Someone changed Salesforce and no feed told Roster: the scheduled reconciliation finds it.
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });

    const first = await w.runUntil(async () => (await w.status()).reconcile.lastRun, {
      what: 'the scheduled reconciliation',
      stepMs: 1_000,
      maxVirtualMs: 5 * 60_000,
    });
    // At 03:00 virtual time (within the second: a round already under way finishes first).
    expect(Date.parse(first.at) - Date.parse('2026-03-02T03:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.at) - Date.parse('2026-03-02T03:00:00Z')).toBeLessThan(1_000);
    expect(first).toMatchObject({ changes: 1, missedByFeeds: 1 });
    expect((await w.status()).reconcile.nextAt).toBe('2026-03-03T03:00:00.000Z');

    // A day later (the clock jumps: no need to tick through the night), the next one, on time.
    w.clock.advance(Date.parse('2026-03-03T02:59:50Z') - w.clock.now().getTime());
    await w.runFor(5_000, { stepMs: 1_000 });
    expect((await w.status()).reconcile.lastRun?.at).toBe(first.at);
    const second = await w.runUntil(
      async () => {
        const r = (await w.status()).reconcile.lastRun;
        return r && r.at !== first.at ? r : undefined;
      },
      { what: 'the next scheduled reconciliation', stepMs: 1_000 },
    );
    expect(Date.parse(second.at) - Date.parse('2026-03-03T03:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(second.at) - Date.parse('2026-03-03T03:00:00Z')).toBeLessThan(1_000);
    expect(second.changes).toBe(0);
    expect((await w.status()).reconcile.nextAt).toBe('2026-03-04T03:00:00.000Z');
  });
});

describe('a graceful stop', () => {
  it('waits for the round in flight: every change it started is settled, nothing pending, no job running', async () => {
    const w = (world = await startServiceWorld(bigAccountScenario(300), {
      yaml: quietYaml(),
      batchSize: 20,
    }));
    await w.settle();
    await w.sf.update('Account', w.ids.big as string, {
      Status__c: 'Inactive',
      Retired_Date__c: w.today(-1),
    });
    await w.docebo.setFaults({ latencyMs: 50 });
    await deliver(w, 'account', w.ids.big as string);
    await w.clock.tick(200);
    // The round has begun writing (a batch journaled pending, in flight to Docebo) when the stop comes.
    await w.untilRealTime(() => w.journal().some((j) => j.outcome === 'pending'), 'a batch in flight');
    await w.stopRoster();

    const journal = w.journal();
    expect(journal.filter((j) => j.outcome === 'pending')).toEqual([]);
    expect(journal.filter((j) => j.outcome === 'applied')).toHaveLength(300);
    expect((await w.docebo.users()).filter((u) => u.active)).toEqual([]);
    const db = new Database(w.dbFile, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'running'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
