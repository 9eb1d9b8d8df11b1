// Migration 0002: the service's durable state — the work queue, feed checkpoints and seen delivery ids,
// the cache of Docebo users and the log of Docebo calls.
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from './store-schema.ts';

type Db = Kysely<unknown>;

const autoIncrementId = (dialect: StoreDialect) =>
  [
    dialect === 'postgres' ? 'serial' : 'integer',
    (c: ColumnDefinitionBuilder) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
  ] as const;

export function workQueue(dialect: StoreDialect): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', ...autoIncrementId(dialect))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('contact', 'account')`))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'dead')`))
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('sources', 'text', (c) => c.notNull())
        .addColumn('first_queued_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .execute();
      // Coalescing: at most one waiting (queued or dead) job per key; a running one may have a successor.
      await db.schema
        .createIndex('jobs_waiting_key')
        .on('jobs')
        .columns(['kind', 'key'])
        .unique()
        .where(sql<boolean>`status in ('queued', 'dead')`)
        .execute();
      await db.schema
        .createIndex('jobs_claim_order')
        .on('jobs')
        .columns(['status', 'priority', 'next_attempt_at', 'id'])
        .execute();
      await db.schema.createIndex('jobs_lease_until').on('jobs').columns(['status', 'lease_until']).execute();

      await db.schema
        .createTable('feed_checkpoints')
        .addColumn('feed', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('seen_deliveries')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('seen_deliveries_pk', ['source', 'id'])
        .execute();

      await db.schema
        .createTable('lms_users')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('first_name', 'text', (c) => c.notNull())
        .addColumn('last_name', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
        .addColumn('expiration_date', 'text')
        .addColumn('expired', 'integer', (c) => c.notNull().check(sql`expired in (0, 1)`))
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('cached_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('store_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('call_log')
        .addColumn('id', ...autoIncrementId(dialect))
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('call_log_target_at').on('call_log').columns(['target', 'at']).execute();
    },
  };
}
