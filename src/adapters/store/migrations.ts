// Schema migrations as code, applied in name order by Kysely's Migrator on every open. Never edit a
// migration that has shipped: add the next number instead.
import {
  Migrator,
  sql,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import { chainRecords } from '../../domain/audit.ts';
import { heldChanges } from './migration-held-changes.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';

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

const autoIncrementId = (dialect: StoreDialect) =>
  [
    dialect === 'postgres' ? 'serial' : 'integer',
    (c: ColumnDefinitionBuilder) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
  ] as const;

// The service's durable state: the work queue, feed checkpoints and seen delivery ids, the cache of
// Docebo users and the log of Docebo calls.
function workQueue(dialect: StoreDialect): Migration {
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

// Journal entries say what a change was for; every entry written before this migration was a retirement.
const journalAction: Migration = {
  async up(db: Db) {
    await db.schema
      .alterTable('journal')
      .addColumn('action', 'text', (c) =>
        c
          .notNull()
          .defaultTo('retire')
          .check(sql`action in ('retire', 'restore', 'undo')`),
      )
      .execute();
  },
};

// Plans gain `approved` and `superseded` (issue #4). A CHECK constraint cannot be altered in SQLite, so
// there the table is rebuilt from its own stored definition (keeping any column a later change added);
// PostgreSQL drops and re-adds the constraint.
const PLAN_STATUSES_V2 =
  "('draft', 'approved', 'applying', 'applied', 'partially-applied', 'failed', 'superseded')";

function planStates(dialect: StoreDialect): Migration {
  return {
    async up(db: Db) {
      if (dialect === 'postgres') {
        await sql`alter table plans drop constraint if exists plans_status_check`.execute(db);
        await sql
          .raw(`alter table plans add constraint plans_status_check check (status in ${PLAN_STATUSES_V2})`)
          .execute(db);
      } else {
        const objects = await sql<{ type: string; name: string; sql: string }>`
          select type, name, sql from sqlite_master where tbl_name = 'plans' and sql is not null`.execute(db);
        const table = objects.rows.find((o) => o.type === 'table');
        if (!table || !table.sql.includes(PLAN_STATUSES))
          throw new Error('0005-plan-states: the plans table does not have the expected status constraint');
        const created = table.sql
          .replace(PLAN_STATUSES, PLAN_STATUSES_V2)
          .replace(/^create table\s+("?)plans\1/i, 'create table "plans_new"');
        await sql.raw(created).execute(db);
        await sql`insert into plans_new select * from plans`.execute(db);
        await sql`drop table plans`.execute(db);
        await sql`alter table plans_new rename to plans`.execute(db);
        for (const index of objects.rows.filter((o) => o.type === 'index'))
          await sql.raw(index.sql).execute(db);
      }
      await db.schema.createIndex('plans_created_at').on('plans').column('created_at').execute();
      await db.schema.createIndex('plans_status').on('plans').column('status').execute();
    },
  };
}

// The hash-chained audit log (issue #4). Journal rows written before it are recorded as they stand
// now, so an upgraded store verifies from the day of the upgrade on.
function auditLog(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_ref').on('audit_log').column('ref').execute();
      const rows = await sql<Record<string, string | number | null>>`
        select id, run_id, plan_id, item_key, at, user_id, username, contact_id, account_id, before,
               after, reasons, outcome, error
        from journal order by id`.execute(db);
      const json = (v: unknown) => (v === null ? null : (JSON.parse(String(v)) as unknown));
      const records = rows.rows.map((r) => ({
        kind: 'journal',
        ref: `journal:${Number(r.id)}`,
        payload: {
          id: Number(r.id),
          runId: r.run_id,
          planId: r.plan_id,
          itemKey: r.item_key,
          at: r.at,
          userId: r.user_id,
          username: r.username,
          contactId: r.contact_id,
          accountId: r.account_id,
          before: json(r.before),
          after: json(r.after),
          reasons: json(r.reasons),
          outcome: r.outcome,
          error: json(r.error),
        },
      }));
      const chained = chainRecords(null, records, new Date().toISOString());
      for (let i = 0; i < chained.length; i += 500) {
        const part = chained.slice(i, i + 500).map((c) => ({
          seq: c.seq,
          at: c.at,
          kind: c.kind,
          ref: c.ref,
          payload: JSON.stringify(c.payload),
          prev_hash: c.prevHash,
          hash: c.hash,
        }));
        await (db as unknown as Kysely<StoreDatabase>).insertInto('audit_log').values(part).execute();
      }
      const last = chained[chained.length - 1];
      if (last)
        await sql`insert into store_meta (key, value)
                  values ('audit_head', ${JSON.stringify({ seq: last.seq, hash: last.hash })})`.execute(db);
    },
  };
}

export function migrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-work-queue': workQueue(dialect),
    '0003-audit-log': auditLog(),
    '0005-plan-states': planStates(dialect),
    '0004-journal-action': journalAction,
    '0006-held-changes': heldChanges(dialect),
  };
}

export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations('sqlite')).sort();

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
