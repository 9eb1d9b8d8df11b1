// A cross-process lock around SQLite migrations: one row in its own table, taken by a conditional
// upsert (SQLite serialises writers) and given back afterwards. A process that died while migrating
// leaves a row that expires, so the next start is not blocked for good.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

const LOCK_TABLE = 'roster_migration_guard';
const HELD_FOR_MS = 5 * 60_000;
const WAIT_AT_MOST_MS = 2 * 60_000;
const RETRY_MS = 50;

export async function withSqliteMigrationLock<T>(db: Kysely<unknown>, work: () => Promise<T>): Promise<T> {
  await sql`create table if not exists ${sql.table(LOCK_TABLE)} (id integer primary key check (id = 1), holder text not null, expires_at text not null)`.execute(
    db,
  );
  const me = randomUUID();
  const giveUpAt = Date.now() + WAIT_AT_MOST_MS;
  for (;;) {
    const now = new Date();
    const until = new Date(now.getTime() + HELD_FOR_MS).toISOString();
    await sql`insert into ${sql.table(LOCK_TABLE)} (id, holder, expires_at) values (1, ${me}, ${until})
      on conflict (id) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where ${sql.ref(`${LOCK_TABLE}.expires_at`)} < ${now.toISOString()}`.execute(db);
    const held = await sql<{
      holder: string;
    }>`select holder from ${sql.table(LOCK_TABLE)} where id = 1`.execute(db);
    if (held.rows[0]?.holder === me) break;
    if (Date.now() > giveUpAt)
      throw new Error('another process has been migrating this store for over two minutes; is it stuck?');
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  try {
    return await work();
  } finally {
    await sql`delete from ${sql.table(LOCK_TABLE)} where holder = ${me}`.execute(db);
  }
}
