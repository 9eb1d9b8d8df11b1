// Opening a store by URL: where a SQLite file goes and what mode it runs in, and how a store that cannot
// be opened is reported (without the password). The Store contract itself is state-store.contract.test.ts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/adapters/store/migrations.ts';
import { openKyselyStore, openStore } from '../../src/adapters/store/open-store.ts';
import { expectCode } from '../helpers/expect-code.ts';
import { createTempPostgresDb, requirePostgres, skipPostgres } from '../helpers/postgres.ts';

describe('openStore on SQLite', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('uses WAL mode', async () => {
    const file = join(tempDir(), 'roster.db');
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('stores starting at once on one new file all open it: migrations run once, under a lock', async () => {
    const file = join(tempDir(), 'roster.db');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openKyselyStore(`sqlite:${file}`)));
    try {
      for (const store of stores) expect(await store.appliedMigrations()).toEqual([...MIGRATION_NAMES]);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('never creates a missing directory: a mistyped path must not start an empty store', async () => {
    const dir = tempDir();
    const e = await expectCode(
      openStore(`sqlite:${join(dir, 'a', 'roster.db')}`),
      'ROSTER_STORE_UNAVAILABLE',
    );
    expect(e.message).toContain(`the directory ${join(dir, 'a')} does not exist`);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('resolves a relative path against the working directory', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const store = await openStore('sqlite:./data/roster.db', { cwd: dir });
    await store.close();
    const raw = new Database(join(dir, 'data', 'roster.db'), { readonly: true });
    raw.close();
  });

  it('reports a file it cannot open as ROSTER_STORE_UNAVAILABLE', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    await expectCode(openStore(`sqlite:${join(dir, 'not-a-dir', 'roster.db')}`), 'ROSTER_STORE_UNAVAILABLE');
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database, just text long enough to have a header'.repeat(20));
    await expectCode(openStore(`sqlite:${garbage}`), 'ROSTER_STORE_UNAVAILABLE');
  });
});

describe.skipIf(skipPostgres())('openStore on PostgreSQL', () => {
  beforeAll(async () => {
    await requirePostgres();
  });

  it('reports an unreachable server without printing the password', async () => {
    const e = await expectCode(
      openStore('postgres://roster:s3cret-Pa55@127.0.0.1:1/roster'),
      'ROSTER_STORE_UNAVAILABLE',
    );
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.message).not.toContain('s3cret-Pa55');
    expect(String(e.stack)).not.toContain('s3cret-Pa55');
    expect(JSON.stringify(e.toData())).not.toContain('s3cret-Pa55');
  });

  it('reports a missing database without printing the password', async () => {
    const { url, drop } = await createTempPostgresDb();
    await drop();
    const u = new URL(url);
    u.password = 'an0ther-secret';
    const e = await expectCode(openStore(u.toString()), 'ROSTER_STORE_UNAVAILABLE');
    expect(e.message).toContain(u.pathname.slice(1));
    expect(e.message).not.toContain('an0ther-secret');
  });

  it('stores starting at once on one new database all open it: migrations run once, under a lock', async () => {
    const { url, drop } = await createTempPostgresDb();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openKyselyStore(url)));
      try {
        for (const store of stores) expect(await store.appliedMigrations()).toEqual([...MIGRATION_NAMES]);
      } finally {
        for (const store of stores) await store.close();
      }
    } finally {
      await drop();
    }
  });
});
