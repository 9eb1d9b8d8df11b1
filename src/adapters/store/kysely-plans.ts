// Stored plans and their states. Status changes are conditional updates, so two processes cannot both
// move a plan from the same state (the second gets ROSTER_STORE_CONFLICT).
import type { Kysely } from 'kysely';
import { RosterError } from '../../domain/errors.ts';
import type { Plan } from '../../domain/plan.ts';
import type { PlanQuery, PlanStatus, PlanStore, StoredPlan } from '../../ports/store.ts';
import { planToRow, rowToPlan } from './row-mapping.ts';
import type { StoreDatabase } from './store-schema.ts';
import { chunk, ROWS_PER_INSERT } from './store-transactions.ts';

/**
 * Which states a plan may enter from which: retrying a partly applied or failed plan is allowed. A draft
 * may be applied directly (plain `roster apply`); a newer saved plan supersedes drafts and approved
 * plans so a stale reviewed plan is not applied by accident.
 */
export const PLAN_TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  draft: ['approved', 'applying', 'superseded'],
  approved: ['applying', 'superseded'],
  applying: ['applied', 'partially-applied', 'failed'],
  'partially-applied': ['applying'],
  failed: ['applying'],
  applied: [],
  superseded: [],
};

export class KyselyPlans implements PlanStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async save(plan: Plan, status: PlanStatus): Promise<void> {
    const row = planToRow(plan, status);
    await this.db
      .insertInto('plans')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ created_at: row.created_at, status: row.status, body: row.body }),
      )
      .execute();
  }

  async get(id: string): Promise<{ plan: Plan; status: PlanStatus } | null> {
    const row = await this.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToPlan(row) : null;
  }

  async setStatus(id: string, status: PlanStatus): Promise<void> {
    const from = (Object.keys(PLAN_TRANSITIONS) as PlanStatus[]).filter((s) =>
      PLAN_TRANSITIONS[s].includes(status),
    );
    if (from.length > 0) {
      const result = await this.db
        .updateTable('plans')
        .set({ status })
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
    }
    const current = await this.db
      .selectFrom('plans')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw new RosterError('ROSTER_PLAN_NOT_FOUND', `No stored plan ${id}.`);
    throw new RosterError(
      'ROSTER_STORE_CONFLICT',
      `Plan ${id} is ${current.status}; it cannot become ${status}.`,
      {
        details: { planId: id, from: current.status, to: status },
      },
    );
  }

  async list(query: PlanQuery): Promise<StoredPlan[]> {
    if (query.limit <= 0) return [];
    const statuses =
      query.status === undefined ? null : typeof query.status === 'string' ? [query.status] : query.status;
    if (statuses !== null && statuses.length === 0) return [];
    let q = this.db.selectFrom('plans').selectAll();
    if (statuses !== null) q = q.where('status', 'in', statuses);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.floor(query.limit))
      .execute();
    return rows.map(rowToPlan);
  }

  supersede(opts: { exceptId: string; createdAtOrBefore: string }): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const open = ['draft', 'approved'] satisfies PlanStatus[];
      const rows = await trx
        .selectFrom('plans')
        .select('id')
        .where('status', 'in', open)
        .where('id', '!=', opts.exceptId)
        .where('created_at', '<=', opts.createdAtOrBefore)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const superseded: string[] = [];
      for (const part of chunk(
        rows.map((r) => r.id),
        ROWS_PER_INSERT,
      )) {
        // Conditional again: a plan that started applying meanwhile stays as it is.
        const updated = await trx
          .updateTable('plans')
          .set({ status: 'superseded' })
          .where('id', 'in', part)
          .where('status', 'in', open)
          .returning('id')
          .execute();
        superseded.push(...updated.map((r) => r.id));
      }
      return superseded.sort();
    });
  }
}
