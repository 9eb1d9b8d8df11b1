// Migration 0001: links, rule observations, plans, runs and the journal.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from './store-schema.ts';

type Db = Kysely<unknown>;

// The plan statuses as 0001 wrote them into the CHECK constraint; 0005 looks for this exact text.
export const PLAN_STATUSES = "('draft', 'applying', 'applied', 'partially-applied', 'failed')";
const RUN_STATUSES = "('running', 'succeeded', 'partially-failed', 'failed', 'interrupted')";

export function initial(dialect: StoreDialect): Migration {
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
