// Migration 0006: changes held by the guards (issue #4), and `observed` journal entries (serve's
// observe mode journals what it would do). A CHECK constraint cannot be altered in SQLite, so there the
// journal is rebuilt from its own stored definition — keeping every column, index and trigger other
// migrations added — and only its outcome list gains 'observed'. PostgreSQL replaces the constraint.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from './store-schema.ts';

type Db = Kysely<unknown>;

const OUTCOME_CHECK = /outcome\s+in\s*\(([^)]*)\)/i;

async function allowObservedSqlite(db: Db): Promise<void> {
  const objects = await sql<{ type: string; name: string; sql: string }>`
    select type, name, sql from sqlite_master where tbl_name = 'journal' and sql is not null`.execute(db);
  const table = objects.rows.find((o) => o.type === 'table');
  const match = table ? OUTCOME_CHECK.exec(table.sql) : null;
  if (!table || !match)
    throw new Error('0006-held-changes: the journal table does not have the expected outcome constraint');
  if (match[1]!.includes("'observed'")) return;
  const created = table.sql
    .replace(OUTCOME_CHECK, (_all, list: string) => `outcome in (${list}, 'observed')`)
    .replace(/^create table\s+("?)journal\1/i, 'create table "journal_new"');
  await db.transaction().execute(async (trx) => {
    await sql.raw(created).execute(trx);
    await sql`insert into journal_new select * from journal`.execute(trx);
    await sql`drop table journal`.execute(trx);
    await sql`alter table journal_new rename to journal`.execute(trx);
    for (const o of objects.rows.filter((x) => x.type === 'index' || x.type === 'trigger'))
      await sql.raw(o.sql).execute(trx);
  });
}

async function allowObservedPostgres(db: Db): Promise<void> {
  const checks = await sql<{ name: string; def: string }>`
    select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid = 'journal'::regclass and contype = 'c'`.execute(db);
  const outcome = checks.rows.find((c) => /\boutcome\b/.test(c.def));
  if (!outcome)
    throw new Error('0006-held-changes: the journal table does not have the expected outcome constraint');
  const values = [...outcome.def.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  if (values.includes('observed')) return;
  const list = [...values, 'observed'].map((v) => `'${v}'`).join(', ');
  await sql.raw(`alter table journal drop constraint "${outcome.name}"`).execute(db);
  await sql
    .raw(`alter table journal add constraint "${outcome.name}" check (outcome in (${list}))`)
    .execute(db);
}

export function heldChanges(dialect: StoreDialect): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('held_changes')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('account_name', 'text')
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('guard', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('held', 'approved', 'rejected', 'applied')`),
        )
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // At most one waiting change per item: a re-plan updates it instead of piling up copies.
      await db.schema
        .createIndex('held_changes_waiting_item')
        .on('held_changes')
        .column('item_key')
        .unique()
        .where(sql<boolean>`status = 'held'`)
        .execute();
      await db.schema.createIndex('held_changes_item_key').on('held_changes').column('item_key').execute();
      await db.schema
        .createIndex('held_changes_status')
        .on('held_changes')
        .columns(['status', 'account_id'])
        .execute();
      if (dialect === 'postgres') await allowObservedPostgres(db);
      else await allowObservedSqlite(db);
    },
  };
}
