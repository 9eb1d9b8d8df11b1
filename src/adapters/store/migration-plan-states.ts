// Migration 0005: plans gain `approved` and `superseded` (issue #4). A CHECK constraint cannot be
// altered in SQLite, so there the table is rebuilt from its own stored definition (keeping any column a
// later change added); PostgreSQL drops and re-adds the constraint.
import { sql, type Kysely, type Migration } from 'kysely';
import { PLAN_STATUSES } from './migration-initial.ts';
import type { StoreDialect } from './store-schema.ts';

type Db = Kysely<unknown>;

const PLAN_STATUSES_V2 =
  "('draft', 'approved', 'applying', 'applied', 'partially-applied', 'failed', 'superseded')";

export function planStates(dialect: StoreDialect): Migration {
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
