// Migration 0008: reconciliations asked of the active `roster serve` (roster apply next to a service).
import type { Kysely, Migration } from 'kysely';

export const reconcileRequests: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('reconcile_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('result', 'text')
      .execute();
  },
};
