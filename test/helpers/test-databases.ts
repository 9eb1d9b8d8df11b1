// Throwaway databases for the store contract suites, one kind per engine: each is created empty or
// already migrated (a copy of a template migrated once per test file, so a test does not pay for every
// migration again), can be reached without going through the store (for migrations and tampering), and
// is removed afterwards.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { StoreDialect } from '../../src/adapters/store/store-schema.ts';
import { createTempPostgresDb } from './postgres.ts';

export interface TestDatabase {
  /** What openStore is given. */
  url: string;
  /** A connection the store has not migrated or wrapped; the caller destroys it. */
  raw(): Kysely<unknown>;
  drop(): Promise<void>;
}

export interface DatabaseEngine {
  /** How suite names call it. */
  name: 'SQLite' | 'PostgreSQL';
  dialect: StoreDialect;
  /**
   * Whether two store instances in one process may write concurrently. better-sqlite3 waits for a lock
   * synchronously, blocking the event loop the holder needs, so SQLite runs one store per process and
   * concurrent writers are concurrent calls on it; separate processes wait for each other's lock.
   */
  concurrentInstances: boolean;
  /** `migrated`: as a store leaves it after its first start. */
  create(opts: { migrated: boolean }): Promise<TestDatabase>;
  /** Removes the template, once the file's tests are done. */
  dispose(): Promise<void>;
}

/** Made once, on first use; `dispose` removes it. */
function lazy<T>(make: () => Promise<T>, remove: (t: T) => Promise<void>) {
  let made: Promise<T> | null = null;
  return {
    get: () => (made ??= make()),
    dispose: async () => {
      const t = made;
      made = null;
      if (t) await remove(await t);
    },
  };
}

async function migrate(url: string): Promise<void> {
  await (await openStore(url)).close();
}

const sqliteTemplate = lazy(
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-template-'));
    const file = join(dir, 'template.db');
    await migrate(`sqlite:${file}`);
    return { dir, file };
  },
  async ({ dir }) => rmSync(dir, { recursive: true, force: true }),
);

export const sqliteEngine: DatabaseEngine = {
  name: 'SQLite',
  dialect: 'sqlite',
  concurrentInstances: false,
  dispose: () => sqliteTemplate.dispose(),
  create: async ({ migrated }) => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-store-'));
    const file = join(dir, 'roster.db');
    // The store closed cleanly, so the WAL was checkpointed into the main file: copying it is enough.
    if (migrated) copyFileSync((await sqliteTemplate.get()).file, file);
    return {
      url: `sqlite:${file}`,
      raw: () => new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgresTemplate = lazy(
  async () => {
    const db = await createTempPostgresDb();
    await migrate(db.url);
    return db;
  },
  (db) => db.drop(),
);

export const postgresEngine: DatabaseEngine = {
  name: 'PostgreSQL',
  dialect: 'postgres',
  concurrentInstances: true,
  dispose: () => postgresTemplate.dispose(),
  create: async ({ migrated }) => {
    const { url, drop } = await createTempPostgresDb(
      migrated ? { template: (await postgresTemplate.get()).name } : {},
    );
    return {
      url,
      raw: () =>
        new Kysely<unknown>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
        }),
      drop,
    };
  },
};
