// Held changes, decisions and the source-guard baseline over Kysely. A decision and its audit record are written in one transaction: an approval nobody can trace
// never exists.
import type { Kysely, Selectable } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import type {
  Decision,
  DecisionScope,
  GuardName,
  HeldChange,
  HeldStatus,
  NewHeldChange,
} from '../../domain/held-change.ts';
import { accountId, contactId, doceboUserId } from '../../domain/ids.ts';
import type { AccessState } from '../../domain/lms.ts';
import type { ApprovalStore, HeldQuery } from '../../ports/approvals.ts';
import { appendAuditIn, auditTransaction } from './kysely-audit-log.ts';
import type { HeldChangesTable, StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, instant } from './store-transactions.ts';

const LAST_MANAGED = 'guards.last_managed_contacts';
type Db = Kysely<StoreDatabase>;

const sameAfter = (a: string, b: AccessState) => {
  const x = JSON.parse(a) as AccessState;
  return x.active === b.active && x.expirationDate === b.expirationDate;
};

function rowToHeld(r: Selectable<HeldChangesTable>): HeldChange {
  const after = JSON.parse(r.after) as { active: boolean; expirationDate: string | null };
  return {
    id: Number(r.id),
    planId: r.plan_id,
    itemKey: r.item_key,
    accountId: r.account_id === null ? null : accountId(r.account_id),
    accountName: r.account_name,
    contactId: contactId(r.contact_id),
    userId: doceboUserId(r.user_id),
    username: r.username,
    guard: r.guard as GuardName,
    reason: r.reason,
    after: { active: after.active, expirationDate: after.expirationDate as IsoDate | null },
    status: r.status as HeldStatus,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  };
}

const heldRow = (c: NewHeldChange, at: string) => ({
  plan_id: c.planId,
  item_key: c.itemKey,
  account_id: c.accountId,
  account_name: c.accountName,
  contact_id: c.contactId,
  user_id: c.userId,
  username: c.username,
  guard: c.guard,
  reason: c.reason,
  after: JSON.stringify({ active: c.after.active, expirationDate: c.after.expirationDate }),
  status: 'held',
  decided_by: null,
  decided_at: null,
  created_at: at,
});

export class KyselyApprovals implements ApprovalStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: StoreDialect,
  ) {}

  recordHeld(changes: NewHeldChange[], opts: { at: string; replaceWaiting: boolean }): Promise<HeldChange[]> {
    const at = instant(opts.at);
    return this.db.transaction().execute(async (trx) => {
      const waiting = new Map(
        (await trx.selectFrom('held_changes').selectAll().where('status', '=', 'held').execute()).map((r) => [
          r.item_key,
          r,
        ]),
      );
      const keys = new Set(changes.map((c) => c.itemKey));
      if (opts.replaceWaiting) {
        const stale = [...waiting.values()].filter((r) => !keys.has(r.item_key)).map((r) => r.id);
        for (const part of chunk(stale))
          await trx.deleteFrom('held_changes').where('id', 'in', part).execute();
      }
      const fresh: NewHeldChange[] = [];
      for (const c of changes) {
        const old = waiting.get(c.itemKey);
        if (old && sameAfter(old.after, c.after)) continue;
        if (old) await trx.deleteFrom('held_changes').where('id', '=', old.id).execute();
        fresh.push(c);
      }
      const added: HeldChange[] = [];
      for (const part of chunk(fresh.map((c) => heldRow(c, at)))) {
        const rows = await trx.insertInto('held_changes').values(part).returningAll().execute();
        added.push(...rows.map(rowToHeld));
      }
      return added.sort((a, b) => a.id - b.id);
    });
  }

  async listHeld(query: HeldQuery): Promise<HeldChange[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    let q = this.db.selectFrom('held_changes').selectAll();
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.accountId !== undefined) q = q.where('account_id', '=', query.accountId);
    if (query.planId !== undefined) q = q.where('plan_id', '=', query.planId);
    q = q.orderBy('id', 'asc');
    if (query.limit !== undefined) q = q.limit(Math.floor(query.limit));
    return (await q.execute()).map(rowToHeld);
  }

  decide(scope: DecisionScope, d: { decision: Decision; by: string; at: string }): Promise<HeldChange[]> {
    const at = instant(d.at);
    return auditTransaction(this.db, this.dialect, async (trx) => {
      let q = trx.selectFrom('held_changes').select('id').where('status', '=', 'held');
      q =
        scope.planId !== undefined
          ? q.where('plan_id', '=', scope.planId)
          : q.where('account_id', '=', scope.accountId);
      const ids = (await q.execute()).map((r) => r.id);
      const decided: HeldChange[] = [];
      for (const part of chunk(ids)) {
        const rows = await trx
          .updateTable('held_changes')
          .set({ status: d.decision, decided_by: d.by, decided_at: at })
          .where('id', 'in', part)
          .where('status', '=', 'held')
          .returningAll()
          .execute();
        decided.push(...rows.map(rowToHeld));
      }
      decided.sort((a, b) => a.id - b.id);
      if (decided.length > 0)
        await appendAuditIn(
          trx,
          [
            {
              kind: d.decision === 'approved' ? 'approval' : 'rejection',
              ref: scope.planId !== undefined ? `plan:${scope.planId}` : `account:${scope.accountId}`,
              payload: {
                by: d.by,
                at,
                decision: d.decision,
                changes: decided.map((c) => ({
                  id: c.id,
                  planId: c.planId,
                  itemKey: c.itemKey,
                  userId: c.userId,
                  username: c.username,
                  accountId: c.accountId,
                  guard: c.guard,
                  after: c.after,
                })),
              },
            },
          ],
          at,
        );
      return decided;
    });
  }

  async decisionsFor(itemKeys: string[]): Promise<HeldChange[]> {
    const out: HeldChange[] = [];
    for (const part of chunk([...new Set(itemKeys)])) {
      const rows = await this.db
        .selectFrom('held_changes')
        .selectAll()
        .where('item_key', 'in', part)
        .where('status', 'in', ['held', 'approved', 'rejected'])
        .execute();
      out.push(...rows.map(rowToHeld));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async markApplied(ids: number[]): Promise<void> {
    for (const part of chunk(ids))
      await this.db
        .updateTable('held_changes')
        .set({ status: 'applied' })
        .where('id', 'in', part)
        .where('status', '=', 'approved')
        .execute();
  }

  async getLastManagedCount(): Promise<number | null> {
    const row = await this.db
      .selectFrom('store_meta')
      .select('value')
      .where('key', '=', LAST_MANAGED)
      .executeTakeFirst();
    return row ? Number(row.value) : null;
  }

  async setLastManagedCount(count: number | null): Promise<void> {
    if (count === null) {
      await this.db.deleteFrom('store_meta').where('key', '=', LAST_MANAGED).execute();
      return;
    }
    const value = String(Math.max(0, Math.floor(count)));
    await this.db
      .insertInto('store_meta')
      .values({ key: LAST_MANAGED, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
