// Plan states of issue #4 (draft → approved → applying → applied / partially-applied / failed /
// superseded), listing plans and the 0005 migration that widens the status constraint — run on a real
// SQLite file and a real PostgreSQL database.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { MIGRATION_NAMES, migrator } from '../../src/adapters/store/migrations.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { RosterError } from '../../src/domain/errors.ts';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/domain/plan.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';

function plan(id: string, createdAt: string): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    id,
    createdAt,
    today: createdAt.slice(0, 10) as IsoDate,
    mode: 'expire-and-deactivate',
    basis: { crmDigest: `crm-${id}`, lmsDigest: `lms-${id}` },
    summary: {
      changes: 0,
      deactivations: 0,
      expirationsSet: 0,
      accounts: 0,
      managedContacts: 0,
      linked: 0,
      unmatched: 0,
      ambiguous: 0,
    },
    items: [],
    unmatched: [],
    ambiguous: [],
  };
}

const at = (minute: number) => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describeEachStore('plan states', (target) => {
  it('walks draft → approved → applying → applied, and refuses to apply an applied plan again', async () => {
    const store = await target.open();
    await store.plans.save(plan('p1', at(1)), 'draft');
    for (const s of ['approved', 'applying', 'applied'] as const) await store.plans.setStatus('p1', s);
    const e = await store.plans.setStatus('p1', 'applying').catch((x: unknown) => x);
    expect((e as RosterError).code).toBe('ROSTER_STORE_CONFLICT');
  });

  it('a superseded plan can never be approved or applied', async () => {
    const store = await target.open();
    await store.plans.save(plan('p1', at(1)), 'approved');
    await store.plans.setStatus('p1', 'superseded');
    for (const to of ['approved', 'applying', 'draft'] as const) {
      const e = await store.plans.setStatus('p1', to).catch((x: unknown) => x);
      expect((e as RosterError).code, to).toBe('ROSTER_STORE_CONFLICT');
    }
    expect((await store.plans.get('p1'))?.status).toBe('superseded');
  });

  it('lists plans newest first, by status (one or several), limited', async () => {
    const store = await target.open();
    expect(await store.plans.list({ limit: 10 })).toEqual([]);
    await store.plans.save(plan('p2', at(2)), 'applied');
    await store.plans.save(plan('p1', at(1)), 'draft');
    await store.plans.save(plan('p4', at(4)), 'approved');
    await store.plans.save(plan('p3', at(3)), 'superseded');
    const ids = (xs: { plan: Plan }[]) => xs.map((x) => x.plan.id);
    expect(ids(await store.plans.list({ limit: 10 }))).toEqual(['p4', 'p3', 'p2', 'p1']);
    expect(ids(await store.plans.list({ limit: 2 }))).toEqual(['p4', 'p3']);
    expect(await store.plans.list({ status: 'draft', limit: 10 })).toEqual([
      { plan: plan('p1', at(1)), status: 'draft' },
    ]);
    expect(ids(await store.plans.list({ status: ['draft', 'approved'], limit: 10 }))).toEqual(['p4', 'p1']);
    expect(await store.plans.list({ status: [], limit: 10 })).toEqual([]);
    expect(await store.plans.list({ limit: 0 })).toEqual([]);
  });

  it('supersedes older draft and approved plans only, never the kept one, a newer one or a finished one', async () => {
    const store = await target.open();
    await store.plans.save(plan('old-draft', at(1)), 'draft');
    await store.plans.save(plan('old-approved', at(2)), 'approved');
    await store.plans.save(plan('old-applied', at(3)), 'applied');
    await store.plans.save(plan('old-applying', at(3)), 'applying');
    await store.plans.save(plan('kept', at(5)), 'draft');
    await store.plans.save(plan('newer', at(7)), 'draft');
    expect(await store.plans.supersede({ exceptId: 'kept', createdAtOrBefore: at(5) })).toEqual([
      'old-approved',
      'old-draft',
    ]);
    const status = async (id: string) => (await store.plans.get(id))?.status;
    expect(await status('old-draft')).toBe('superseded');
    expect(await status('old-approved')).toBe('superseded');
    expect(await status('old-applied')).toBe('applied');
    expect(await status('old-applying')).toBe('applying');
    expect(await status('kept')).toBe('draft');
    expect(await status('newer')).toBe('draft');
    expect(await store.plans.supersede({ exceptId: 'kept', createdAtOrBefore: at(5) })).toEqual([]);
  });

  it('0005 keeps the plans already stored and widens the status constraint', async () => {
    const before = [...MIGRATION_NAMES].filter((n) => n < '0005').pop() as string;
    const db = await target.raw();
    try {
      const { error } = await migrator(db, target.dialect).migrateTo(before);
      if (error) throw error;
      await sql`insert into plans (id, created_at, status, body) values (${'legacy'}, ${at(1)}, ${'failed'}, ${JSON.stringify(plan('legacy', at(1)))})`.execute(
        db,
      );
    } finally {
      await db.destroy();
    }
    const store = await target.openKysely();
    expect(await store.appliedMigrations()).toEqual([...MIGRATION_NAMES]);
    expect(await store.plans.get('legacy')).toEqual({ plan: plan('legacy', at(1)), status: 'failed' });
    await store.plans.save(plan('new', at(2)), 'approved');
    await store.plans.setStatus('new', 'superseded');
    await expect(store.plans.save(plan('bad', at(3)), 'bogus' as never)).rejects.toBeInstanceOf(RosterError);
    expect((await store.plans.list({ limit: 5 })).map((p) => p.plan.id)).toEqual(['new', 'legacy']);
  });
});
