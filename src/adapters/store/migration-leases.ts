// Migration 0007: named leases. Whoever writes to Docebo holds the `docebo-writer` lease (issue #8): one
// row per lease, taken and renewed by conditional writes, so two processes never both hold it.
import type { Kysely, Migration } from 'kysely';

export const leases: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('renewed_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
};
