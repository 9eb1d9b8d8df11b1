// Throwaway databases for the store contract suites, one kind per engine: each is created empty, can be
// reached without going through the store (for migrations and tampering), and is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
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
  create(): Promise<TestDatabase>;
}

export const sqliteEngine: DatabaseEngine = {
  name: 'SQLite',
  dialect: 'sqlite',
  concurrentInstances: false,
  create: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-store-'));
    const file = join(dir, 'roster.db');
    return {
      url: `sqlite:${file}`,
      raw: () => new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresEngine: DatabaseEngine = {
  name: 'PostgreSQL',
  dialect: 'postgres',
  concurrentInstances: true,
  create: async () => {
    const { url, drop } = await createTempPostgresDb();
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
