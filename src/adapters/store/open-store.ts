// Opens the store named by a URL (`sqlite:PATH` or `postgres://…`), checks it answers and migrates it.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { RosterError } from '../../domain/errors.ts';
import type { Store } from '../../ports/store.ts';
import { kyselyStore, type KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import { redactStoreUrl, scrub, storeSecrets } from './store-errors.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';

export interface OpenStoreOptions {
  /** Environment for `PGPASSWORD` when the URL carries no password; defaults to none. */
  env?: Record<string, string | undefined>;
  /** Wall clock for `finishedAt` stamps; defaults to the system clock. */
  now?: () => Date;
  /** Working directory that a relative SQLite path is resolved against; defaults to process.cwd(). */
  cwd?: string;
}

// How long a SQLite writer waits for another process's write lock before failing with SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const PG_CONNECT_TIMEOUT_MS = 10_000;
const PG_POOL_SIZE = 4;

/** The SQLite file a `sqlite:` URL names (`:memory:` for an in-memory database), or null. */
export function sqlitePath(url: string, cwd: string = process.cwd()): string | null {
  if (!url.startsWith('sqlite:')) return null;
  let path = url.slice('sqlite:'.length);
  // Accept `sqlite:///abs/path` and `sqlite://./rel` as well as `sqlite:/abs/path`.
  if (path.startsWith('//')) path = path.slice(2);
  if (path === ':memory:') return path;
  return resolve(cwd, path);
}

function openSqlite(file: string): Kysely<StoreDatabase> {
  // Never created here: a mistyped path would start a new, empty store instead of failing
  // (loadConfig reports it first, as a problem of `store`).
  if (file !== ':memory:' && !existsSync(dirname(file)))
    throw new Error(`the directory ${dirname(file)} does not exist (Roster does not create it)`);
  const database = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (e) {
    database.close();
    throw e;
  }
  return new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
}

function openPostgres(url: string, env: Record<string, string | undefined>): Kysely<StoreDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: PG_POOL_SIZE,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    ...(new URL(url).password === '' && env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
}

export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  return openKyselyStore(url, opts);
}

/** Like openStore, but typed as the concrete class (for `doctor` and tests that inspect migrations). */
export async function openKyselyStore(url: string, opts: OpenStoreOptions = {}): Promise<KyselyStore> {
  const env = opts.env ?? {};
  const label = redactStoreUrl(url);
  const secrets = storeSecrets(url, [env.PGPASSWORD]);
  const fail = (what: string, e: unknown): RosterError => {
    const detail = scrub(e instanceof Error ? e.message : String(e), secrets);
    const leaked = e instanceof Error && detail !== e.message;
    return new RosterError('ROSTER_STORE_UNAVAILABLE', `Cannot ${what} the store ${label}: ${detail}`, {
      cause: leaked ? new Error(detail) : e,
    });
  };

  let dialect: StoreDialect;
  let db: Kysely<StoreDatabase>;
  try {
    const file = sqlitePath(url, opts.cwd);
    if (file !== null) {
      dialect = 'sqlite';
      db = openSqlite(file);
    } else if (/^postgres(ql)?:\/\//i.test(url)) {
      dialect = 'postgres';
      db = openPostgres(url, env);
    } else {
      throw new Error('expected sqlite:PATH or postgres://…');
    }
  } catch (e) {
    throw fail('open', e);
  }

  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw fail('connect to', e);
  }
  try {
    await migrateToLatest(db, dialect);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw fail('migrate', e);
  }
  return kyselyStore({ db, dialect, label, secrets, now: opts.now ?? (() => new Date()) });
}
