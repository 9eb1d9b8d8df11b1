// Schema migrations as code, applied in name order by Kysely's Migrator on every open. Never edit a
// migration that has shipped: add the next number instead.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { StoreDialect } from './store-schema.ts';

export const MIGRATION_TABLE = 'roster_migration';
export const MIGRATION_LOCK_TABLE = 'roster_migration_lock';

type Db = Kysely<unknown>;

const PLAN_STATUSES = "('draft', 'applying', 'applied', 'partially-applied', 'failed')";
const RUN_STATUSES = "('running', 'succeeded', 'partially-failed', 'failed', 'interrupted')";

function initial(dialect: StoreDialect): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('links')
        .addColumn('contact_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('matched_on', 'text', (c) => c.notNull())
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('links_user_id').on('links').column('user_id').execute();

      await db.schema
        .createTable('rule_observations')
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rule_observations_pk', ['contact_id', 'rule'])
        .execute();

      await db.schema
        .createTable('plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in ${PLAN_STATUSES}`)))
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('plan', 'apply')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in ${RUN_STATUSES}`)))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('plan_id', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('runs_started_at').on('runs').column('started_at').execute();
      await db.schema.createIndex('runs_status').on('runs').column('status').execute();

      await db.schema
        .createTable('journal')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('before', 'text', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) =>
          c.notNull().check(sql`outcome in ('pending', 'applied', 'failed')`),
        )
        .addColumn('error', 'text')
        .execute();
      for (const column of ['run_id', 'user_id', 'contact_id'] as const) {
        await db.schema.createIndex(`journal_${column}`).on('journal').column(column).execute();
      }
    },
  };
}

export function migrations(dialect: StoreDialect): Record<string, Migration> {
  return { '0001-initial': initial(dialect) };
}

export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations('sqlite'));

export function migrator<DB>(db: Kysely<DB>, dialect: StoreDialect): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  return new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/** Applies pending migrations; returns the names applied now (empty when already up to date). */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: StoreDialect): Promise<string[]> {
  const { error, results } = await migrator(db, dialect).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
