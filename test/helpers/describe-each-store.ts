// Runs a store contract suite on every Store implementation: once on a real SQLite file and once on a
// real PostgreSQL database. Each test gets a database of its own, removed after it, so no test sees
// another's rows: a migrated copy when the test first opens a store, an empty one when it first reaches
// around the store (to build an older schema and upgrade it).
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { KyselyStore } from '../../src/adapters/store/kysely-store.ts';
import { openKyselyStore, openStore, type OpenStoreOptions } from '../../src/adapters/store/open-store.ts';
import type { StoreDialect } from '../../src/adapters/store/store-schema.ts';
import type { Store } from '../../src/ports/store.ts';
import { requirePostgres, skipPostgres } from './postgres.ts';
import { postgresEngine, sqliteEngine, type DatabaseEngine, type TestDatabase } from './test-databases.ts';

/** The current test's database. Every store opened through it is closed after the test. */
export interface StoreTarget {
  readonly dialect: StoreDialect;
  /** See DatabaseEngine.concurrentInstances: false means concurrent writers must share one store. */
  readonly concurrentInstances: boolean;
  /** Opens a store on the test's database; call it again for a second instance on the same database. */
  open(opts?: OpenStoreOptions): Promise<Store>;
  /** Like open, typed as the concrete store (for tests that inspect migrations). */
  openKysely(opts?: OpenStoreOptions): Promise<KyselyStore>;
  /** A connection around the store (an upgrade from an older schema); the caller destroys it. */
  raw(): Promise<Kysely<unknown>>;
  /** Runs one SQL statement around the store, the way someone tampering with the database would. */
  exec(statement: string): Promise<void>;
}

/**
 * Declares `${name} on SQLite` and `${name} on PostgreSQL`, each running `suite`. ROSTER_SKIP_POSTGRES=1
 * is the only way to skip the PostgreSQL one; an unreachable server fails it.
 */
export function describeEachStore(name: string, suite: (target: StoreTarget) => void): void {
  describe(`${name} on ${sqliteEngine.name}`, () => suite(databasePerTest(sqliteEngine)));
  describe.skipIf(skipPostgres())(`${name} on ${postgresEngine.name}`, () => {
    beforeAll(requirePostgres);
    suite(databasePerTest(postgresEngine));
  });
}

function databasePerTest(engine: DatabaseEngine): StoreTarget {
  let db: TestDatabase | undefined;
  const stores: Store[] = [];

  let creating: Promise<TestDatabase> | undefined;
  afterAll(() => engine.dispose());
  afterEach(async () => {
    // A test may have closed a store itself already; closing it twice must not fail the test.
    for (const store of stores.splice(0)) await store.close().catch(() => undefined);
    await (db ?? (await creating))?.drop();
    db = undefined;
    creating = undefined;
  });

  const current = async (migrated: boolean): Promise<TestDatabase> => {
    db ??= await (creating ??= engine.create({ migrated }));
    return db;
  };
  const existing = (): TestDatabase => {
    if (!db) throw new Error('Open a store (or reach the database) before tampering with it.');
    return db;
  };
  const tracked = async <S extends Store>(opening: Promise<S>): Promise<S> => {
    const store = await opening;
    stores.push(store);
    return store;
  };

  return {
    dialect: engine.dialect,
    concurrentInstances: engine.concurrentInstances,
    open: async (opts) => tracked(openStore((await current(true)).url, opts)),
    openKysely: async (opts) => tracked(openKyselyStore((await current(true)).url, opts)),
    raw: async () => (await current(false)).raw(),
    exec: async (statement) => {
      const raw = existing().raw();
      try {
        await sql.raw(statement).execute(raw);
      } finally {
        await raw.destroy();
      }
    },
  };
}
