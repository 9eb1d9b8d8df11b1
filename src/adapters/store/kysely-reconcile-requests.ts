// Reconcile requests over Kysely: added by a CLI, claimed and finished by the active service.
import type { Kysely } from 'kysely';
import type {
  ReconcileRequest,
  ReconcileRequests,
  ReconcileSummary,
} from '../../ports/reconcile-requests.ts';
import type { StoreDatabase } from './store-schema.ts';
import { instant } from './store-transactions.ts';

export class KyselyReconcileRequests implements ReconcileRequests {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async add(request: { id: string; by: string; at: string }): Promise<void> {
    await this.db
      .insertInto('reconcile_requests')
      .values({
        id: request.id,
        requested_by: request.by,
        requested_at: instant(request.at),
        status: 'waiting',
        finished_at: null,
        result: null,
      })
      .execute();
  }

  async claimWaiting(): Promise<string[]> {
    const rows = await this.db
      .updateTable('reconcile_requests')
      .set({ status: 'running' })
      .where('status', '=', 'waiting')
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort();
  }

  async finish(ids: string[], result: ReconcileSummary, at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('reconcile_requests')
      .set({ status: 'done', finished_at: instant(at), result: JSON.stringify(result) })
      .where('id', 'in', ids)
      .execute();
  }

  async get(id: string): Promise<ReconcileRequest | null> {
    const r = await this.db
      .selectFrom('reconcile_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      by: r.requested_by,
      requestedAt: r.requested_at,
      status: r.status as ReconcileRequest['status'],
      finishedAt: r.finished_at,
      result: r.result === null ? null : (JSON.parse(r.result) as ReconcileSummary),
    };
  }
}
