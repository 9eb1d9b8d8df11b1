// Throwaway PostgreSQL databases for tests, on the server every dev and CI machine runs at 127.0.0.1:5432.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The maintenance database to connect to; override with ROSTER_TEST_PG_URL. */
export const baseUrl = (): string =>
  process.env.ROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** ROSTER_SKIP_POSTGRES=1 is the only way to skip the PostgreSQL suites; an unreachable server fails them. */
export const skipPostgres = (): boolean => process.env.ROSTER_SKIP_POSTGRES === '1';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresAvailable(): Promise<boolean> {
  try {
    await withAdmin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** Fails with a message that says how to start PostgreSQL or skip on purpose. */
export async function requirePostgres(): Promise<void> {
  if (await postgresAvailable()) return;
  const where = new URL(baseUrl());
  throw new Error(
    `PostgreSQL is not reachable at ${where.host} (ROSTER_TEST_PG_URL). Start it, or set ROSTER_SKIP_POSTGRES=1 to skip these tests deliberately.`,
  );
}

/** A new database, empty or a copy of `template` (a database nobody is connected to). */
export async function createTempPostgresDb(
  opts: { template?: string } = {},
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `roster_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) =>
    c.query(`create database ${name}${opts.template ? ` template ${opts.template}` : ''}`),
  );
  const url = new URL(baseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
