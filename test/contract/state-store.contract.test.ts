// Over 300 lines on purpose: one port's contract, one suite.
// The Store contract, run against every implementation: a real SQLite file and a real PostgreSQL
// database. Each test gets an empty store of its own.
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/adapters/store/migrations.ts';
import type { OpenStoreOptions } from '../../src/adapters/store/open-store.ts';
import { RosterError } from '../../src/domain/errors.ts';
import { accountId, doceboUserId, type ContactId } from '../../src/domain/ids.ts';
import type { NewJournalEntry, Run } from '../../src/domain/journal.ts';
import type { RuleObservation } from '../../src/domain/link.ts';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/domain/plan.ts';
import type { PlanStatus, Store } from '../../src/ports/store.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';
import { expectCode } from '../helpers/expect-code.ts';
import { d } from '../helpers/facts.ts';
import { cid, journalEntry as entry, link } from '../helpers/store-fixtures.ts';

const obs = (n: number, rule: string, firstSeen: string): RuleObservation => ({
  contactId: cid(n),
  rule,
  firstSeen: d(firstSeen),
});

function plan(id: string, changes = 1): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    id,
    createdAt: '2025-03-01T10:00:00.000Z',
    today: d('2025-03-01'),
    mode: 'expire-and-deactivate',
    basis: { crmDigest: 'crm-abc', lmsDigest: 'lms-def' },
    summary: {
      changes,
      deactivations: 1,
      expirationsSet: 1,
      accounts: 1,
      managedContacts: 2,
      linked: 1,
      unmatched: 0,
      ambiguous: 0,
    },
    items: [
      {
        key: `${cid(1)}:u1`,
        userId: doceboUserId('u1'),
        username: 'charlie.brown',
        contact: { id: cid(1), name: 'Charlie Brown', email: 'charlie@acme.example' },
        account: { id: accountId('001000000000001AAA'), name: 'ACME' },
        before: { active: true, expirationDate: null },
        after: { active: false, expirationDate: d('2025-02-28') },
        reasons: [
          {
            rule: 'account-retired',
            effectiveDate: d('2025-02-28'),
            dateFrom: 'field',
            facts: { 'Account.Status__c': 'Inactive', 'Account.Retired_Date__c': '2025-02-28' },
          },
        ],
      },
    ],
    unmatched: [],
    ambiguous: [],
  };
}

const run = (id: string, startedAt: string, over: Partial<Run> = {}): Run => ({
  id,
  kind: 'apply',
  status: 'running',
  startedAt,
  finishedAt: null,
  planId: 'plan-1',
  summary: { changes: 3 },
  ...over,
});

const PLAN_STATUSES: PlanStatus[] = [
  'draft',
  'approved',
  'applying',
  'applied',
  'partially-applied',
  'failed',
  'superseded',
];
const LEGAL = new Set([
  'draft>approved',
  'draft>applying',
  'draft>superseded',
  'approved>applying',
  'approved>superseded',
  'applying>applied',
  'applying>partially-applied',
  'applying>failed',
  'partially-applied>applying',
  'failed>applying',
]);

describeEachStore('Store', (target) => {
  let store: Store;
  const fresh = async (opts?: OpenStoreOptions) => {
    store = await target.open(opts);
  };

  describe('links', () => {
    it('starts empty and replaces the whole table', async () => {
      await fresh();
      expect(await store.links.list()).toEqual([]);
      await store.links.replace([link(1), link(2), link(3)]);
      expect(await store.links.list()).toEqual([link(1), link(2), link(3)]);
      await store.links.replace([link(2, 'u20'), link(4)]);
      expect(await store.links.list()).toEqual([link(2, 'u20'), link(4)]);
      await store.links.replace([]);
      expect(await store.links.list()).toEqual([]);
    });

    it('replaces more links than fit in one statement', async () => {
      await fresh();
      const many = Array.from({ length: 1_234 }, (_, i) => link(i, `user-${i}`));
      await store.links.replace(many);
      const listed = await store.links.list();
      expect(listed).toHaveLength(1_234);
      expect(new Set(listed.map((l) => l.userId))).toEqual(new Set(many.map((l) => l.userId)));
    });

    it('keeps the old links when the replacement fails (one transaction)', async () => {
      await fresh();
      await store.links.replace([link(1), link(2)]);
      // The same contact twice violates the key after the delete already ran.
      await expect(store.links.replace([link(3), link(3, 'other')])).rejects.toBeInstanceOf(RosterError);
      expect(await store.links.list()).toEqual([link(1), link(2)]);
    });
  });

  describe('rule observations', () => {
    it('adds first sightings and never moves one later', async () => {
      await fresh();
      await store.sightings.update([obs(1, 'leaver', '2025-01-10'), obs(2, 'leaver', '2025-01-11')], []);
      await store.sightings.update([obs(1, 'leaver', '2025-02-01'), obs(1, 'retired', '2025-02-01')], []);
      expect(await store.sightings.list()).toEqual([
        obs(1, 'leaver', '2025-01-10'),
        obs(1, 'retired', '2025-02-01'),
        obs(2, 'leaver', '2025-01-11'),
      ]);
      // An earlier sighting (e.g. found by a backfill) does move it earlier.
      await store.sightings.update([obs(2, 'leaver', '2025-01-01')], []);
      expect((await store.sightings.list()).find((o) => o.contactId === cid(2))?.firstSeen).toBe(
        '2025-01-01',
      );
    });

    it('forgets rules that stopped holding, and only those', async () => {
      await fresh();
      await store.sightings.update(
        [obs(1, 'leaver', '2025-01-10'), obs(1, 'retired', '2025-01-10'), obs(2, 'leaver', '2025-01-10')],
        [],
      );
      await store.sightings.update(
        [],
        [
          { contactId: cid(1), rule: 'leaver' },
          { contactId: cid(9), rule: 'leaver' },
        ],
      );
      expect(await store.sightings.list()).toEqual([
        obs(1, 'retired', '2025-01-10'),
        obs(2, 'leaver', '2025-01-10'),
      ]);
    });

    it('handles thousands of adds and removes in one call', async () => {
      await fresh();
      const many = Array.from({ length: 1_500 }, (_, i) => obs(i, 'leaver', '2025-01-01'));
      await store.sightings.update(many, []);
      await store.sightings.update(
        [],
        many.slice(0, 1_200).map((o) => ({ contactId: o.contactId, rule: o.rule })),
      );
      expect(await store.sightings.list()).toHaveLength(300);
    });

    it('applies nothing when part of the update fails (one transaction)', async () => {
      await fresh();
      await store.sightings.update([obs(1, 'leaver', '2025-01-10')], []);
      const broken = { contactId: cid(2), rule: 'leaver' } as unknown as RuleObservation;
      await expect(
        store.sightings.update([broken], [{ contactId: cid(1), rule: 'leaver' }]),
      ).rejects.toBeInstanceOf(RosterError);
      expect(await store.sightings.list()).toEqual([obs(1, 'leaver', '2025-01-10')]);
    });
  });

  describe('plans', () => {
    it('returns null for an unknown plan and round-trips a saved one', async () => {
      await fresh();
      expect(await store.plans.get('nope')).toBeNull();
      await store.plans.save(plan('plan-1'), 'draft');
      expect(await store.plans.get('plan-1')).toEqual({ plan: plan('plan-1'), status: 'draft' });
    });

    it('upserts on a second save', async () => {
      await fresh();
      await store.plans.save(plan('plan-1', 1), 'draft');
      await store.plans.save(plan('plan-1', 7), 'draft');
      expect((await store.plans.get('plan-1'))?.plan.summary.changes).toBe(7);
    });

    it('allows exactly the legal status transitions', async () => {
      await fresh();
      for (const from of PLAN_STATUSES) {
        for (const to of PLAN_STATUSES) {
          const id = `p-${from}-${to}`;
          await store.plans.save(plan(id), from);
          const attempt = store.plans.setStatus(id, to);
          if (LEGAL.has(`${from}>${to}`)) {
            await expect(attempt, `${from} → ${to}`).resolves.toBeUndefined();
            expect((await store.plans.get(id))?.status).toBe(to);
          } else {
            await expectCode(attempt, 'ROSTER_STORE_CONFLICT');
            expect((await store.plans.get(id))?.status, `${from} → ${to} left unchanged`).toBe(from);
          }
        }
      }
    });

    it('walks draft → applying → partially-applied → applying → applied, then refuses a second apply', async () => {
      await fresh();
      await store.plans.save(plan('plan-1'), 'draft');
      for (const s of ['applying', 'partially-applied', 'applying', 'applied'] as const) {
        await store.plans.setStatus('plan-1', s);
      }
      const e = await expectCode(store.plans.setStatus('plan-1', 'applying'), 'ROSTER_STORE_CONFLICT');
      expect(e.retryable).toBe(false);
    });

    it('lets only one of two concurrent applies start', async () => {
      await fresh();
      const other = await target.open();
      await store.plans.save(plan('plan-1'), 'draft');
      const results = await Promise.allSettled([
        store.plans.setStatus('plan-1', 'applying'),
        other.plans.setStatus('plan-1', 'applying'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect((rejected?.reason as RosterError).code).toBe('ROSTER_STORE_CONFLICT');
    });

    it('reports an unknown plan by its own code', async () => {
      await fresh();
      await expectCode(store.plans.setStatus('missing', 'applying'), 'ROSTER_PLAN_NOT_FOUND');
    });
  });

  describe('runs', () => {
    it('lists runs newest first, limited, and finishes them with a summary', async () => {
      const at = new Date('2025-03-01T12:00:00.000Z');
      await fresh({ now: () => at });
      await store.runs.start(run('r1', '2025-03-01T10:00:00.000Z'));
      await store.runs.start(run('r3', '2025-03-01T11:00:00.000Z', { kind: 'plan', planId: null }));
      await store.runs.start(run('r2', '2025-03-01T10:30:00.000Z'));
      await store.runs.finish('r2', 'partially-failed', { changes: 3, applied: 2, failed: 1 });
      expect((await store.runs.list(10)).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect((await store.runs.list(2)).map((r) => r.id)).toEqual(['r3', 'r2']);
      expect((await store.runs.list(10))[1]).toEqual(
        run('r2', '2025-03-01T10:30:00.000Z', {
          status: 'partially-failed',
          finishedAt: at.toISOString(),
          summary: { changes: 3, applied: 2, failed: 1 },
        }),
      );
      expect((await store.runs.list(10))[0]).toEqual(
        run('r3', '2025-03-01T11:00:00.000Z', { kind: 'plan', planId: null }),
      );
    });

    it('refuses to finish a run twice', async () => {
      await fresh();
      await store.runs.start(run('r1', '2025-03-01T10:00:00.000Z'));
      await store.runs.finish('r1', 'succeeded', { changes: 3 });
      await expectCode(store.runs.finish('r1', 'failed', {}), 'ROSTER_STORE_CONFLICT');
      expect((await store.runs.list(1))[0]?.status).toBe('succeeded');
    });

    it('marks runs left running as interrupted and counts them', async () => {
      const at = new Date('2025-03-02T00:00:00.000Z');
      await fresh({ now: () => at });
      await store.runs.start(run('r1', '2025-03-01T10:00:00.000Z'));
      await store.runs.start(run('r2', '2025-03-01T11:00:00.000Z'));
      await store.runs.start(run('r3', '2025-03-01T12:00:00.000Z'));
      await store.runs.finish('r3', 'succeeded', { changes: 3 });
      expect(await store.runs.markInterrupted()).toBe(2);
      const runs = await store.runs.list(10);
      expect(runs.map((r) => [r.id, r.status])).toEqual([
        ['r3', 'succeeded'],
        ['r2', 'interrupted'],
        ['r1', 'interrupted'],
      ]);
      expect(runs.filter((r) => r.status === 'interrupted').map((r) => r.finishedAt)).toEqual([
        at.toISOString(),
        at.toISOString(),
      ]);
      expect(await store.runs.markInterrupted()).toBe(0);
    });
  });

  describe('journal', () => {
    it('appends entries and lists them newest first with increasing ids', async () => {
      await fresh();
      const failed = entry(3, {
        outcome: 'failed',
        accountId: null,
        error: { code: 'ROSTER_DOCEBO_REJECTED', message: 'no such user', retryable: false },
      });
      await store.journal.append([entry(1), entry(2)]);
      await store.journal.append([failed]);
      const listed = await store.journal.list({});
      expect(listed.map((e) => e.itemKey)).toEqual([failed.itemKey, entry(2).itemKey, entry(1).itemKey]);
      const ids = listed.map((e) => e.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      expect(new Set(ids).size).toBe(3);
      const { id: _id, ...rest } = listed[0]!;
      expect(rest).toEqual(failed);
      const { id: _id2, ...applied } = listed[2]!;
      expect(applied).toEqual(entry(1));
    });

    it('filters by run, user and contact, and limits', async () => {
      await fresh();
      await store.journal.append([
        entry(1, { runId: 'run-a' }),
        entry(2, { runId: 'run-a' }),
        entry(1, { runId: 'run-b' }),
        entry(3, { runId: 'run-b' }),
      ]);
      const keys = async (q: Parameters<Store['journal']['list']>[0]) =>
        (await store.journal.list(q)).map((e) => `${e.runId}/${e.userId}`);
      expect(await keys({ runId: 'run-a' })).toEqual(['run-a/u2', 'run-a/u1']);
      expect(await keys({ userId: doceboUserId('u1') })).toEqual(['run-b/u1', 'run-a/u1']);
      expect(await keys({ contactId: cid(3) })).toEqual(['run-b/u3']);
      expect(await keys({ runId: 'run-b', userId: doceboUserId('u1') })).toEqual(['run-b/u1']);
      expect(await keys({ limit: 2 })).toEqual(['run-b/u3', 'run-b/u1']);
      expect(await keys({ contactId: 'nobody' as ContactId })).toEqual([]);
    });

    it('appends all entries or none', async () => {
      await fresh();
      await store.journal.append([entry(0)]);
      const batch = Array.from({ length: 700 }, (_, i) => entry(i + 1));
      // The bad entry sits past the first insert statement, so only the transaction can undo the rest.
      batch[650] = entry(651, { outcome: 'bogus' as 'applied' });
      await expect(store.journal.append(batch)).rejects.toBeInstanceOf(RosterError);
      batch[650] = { ...entry(651), before: undefined as unknown as NewJournalEntry['before'] };
      await expect(store.journal.append(batch)).rejects.toBeInstanceOf(RosterError);
      expect((await store.journal.list({})).map((e) => e.itemKey)).toEqual([entry(0).itemKey]);
    });

    it('settles pending entries, and lists as unsettled only those whose run is no longer running', async () => {
      await fresh();
      await store.runs.start(run('run-live', '2025-03-01T10:00:00.000Z'));
      await store.runs.start(run('run-dead', '2025-03-01T09:00:00.000Z'));
      await store.journal.append([
        entry(1, { runId: 'run-live', outcome: 'pending' }),
        entry(2, { runId: 'run-dead', outcome: 'pending' }),
        entry(3, { runId: 'run-dead', outcome: 'pending' }),
      ]);
      expect(await store.journal.listUnsettled()).toEqual([]); // both runs still `running`
      await store.runs.finish('run-dead', 'interrupted', {});
      expect((await store.journal.listUnsettled()).map((e) => e.itemKey)).toEqual([
        entry(2).itemKey,
        entry(3).itemKey,
      ]);
      const error = { code: 'ROSTER_INTERRUPTED' as const, message: 'stopped', retryable: true };
      await store.journal.settle([
        {
          runId: 'run-dead',
          itemKey: entry(2).itemKey,
          outcome: 'applied',
          error: null,
          at: '2025-03-02T00:00:00.000Z',
        },
        {
          runId: 'run-dead',
          itemKey: entry(3).itemKey,
          outcome: 'failed',
          error,
          at: '2025-03-02T00:00:00.000Z',
        },
      ]);
      expect(await store.journal.listUnsettled()).toEqual([]);
      const byKey = new Map((await store.journal.list({ runId: 'run-dead' })).map((e) => [e.itemKey, e]));
      expect(byKey.get(entry(2).itemKey)).toMatchObject({ outcome: 'applied', error: null });
      expect(byKey.get(entry(3).itemKey)).toMatchObject({ outcome: 'failed', error });
      // A settled entry stays settled.
      await store.journal.settle([
        {
          runId: 'run-dead',
          itemKey: entry(2).itemKey,
          outcome: 'failed',
          error,
          at: '2025-03-03T00:00:00.000Z',
        },
      ]);
      expect(
        (await store.journal.list({ runId: 'run-dead' })).find((e) => e.itemKey === entry(2).itemKey)
          ?.outcome,
      ).toBe('applied');
    });

    it('accepts an empty append', async () => {
      await fresh();
      await store.journal.append([]);
      expect(await store.journal.list({})).toEqual([]);
    });
  });

  describe('durability', () => {
    it('finds everything again after reopening, without re-running migrations', async () => {
      await fresh();
      await store.links.replace([link(1)]);
      await store.sightings.update([obs(1, 'leaver', '2025-01-10')], []);
      await store.plans.save(plan('plan-1'), 'draft');
      await store.plans.setStatus('plan-1', 'applying');
      await store.runs.start(run('r1', '2025-03-01T10:00:00.000Z'));
      await store.journal.append([entry(1)]);
      await store.close();

      for (let i = 0; i < 2; i++) {
        const again = await target.openKysely();
        expect(await again.appliedMigrations()).toEqual([...MIGRATION_NAMES]);
        expect(await again.links.list()).toEqual([link(1)]);
        expect(await again.sightings.list()).toEqual([obs(1, 'leaver', '2025-01-10')]);
        expect(await again.plans.get('plan-1')).toEqual({ plan: plan('plan-1'), status: 'applying' });
        expect((await again.runs.list(5)).map((r) => r.id)).toEqual(['r1']);
        expect(await again.journal.list({})).toHaveLength(1);
        await again.close();
      }
    });
  });
});
