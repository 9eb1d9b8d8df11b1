// Schema migrations as code, applied in name order by Kysely's Migrator on every open. Never edit a
// migration that has shipped: add the next number instead.
// One file per migration (migration-<name>.ts), so adding the next never touches one that shipped.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { withSqliteMigrationLock } from './sqlite-migration-lock.ts';
import { auditLog } from './migration-audit-log.ts';
import { heldChanges } from './migration-held-changes.ts';
import { initial } from './migration-initial.ts';
import { leases } from './migration-leases.ts';
import { journalAction } from './migration-journal-action.ts';
import { planStates } from './migration-plan-states.ts';
import { reconcileRequests } from './migration-reconcile-requests.ts';
import { workQueue } from './migration-work-queue.ts';
import type { StoreDialect } from './store-schema.ts';

export const MIGRATION_TABLE = 'roster_migration';
export const MIGRATION_LOCK_TABLE = 'roster_migration_lock';

export function migrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-work-queue': workQueue(dialect),
    '0003-audit-log': auditLog(),
    '0005-plan-states': planStates(dialect),
    '0004-journal-action': journalAction,
    '0006-held-changes': heldChanges(dialect),
    '0007-leases': leases,
    '0008-reconcile-requests': reconcileRequests,
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

/**
 * Applies pending migrations under a lock; returns the names applied now (empty when already up to
 * date). Two processes starting on one new store must not both run a migration: on PostgreSQL Kysely's
 * migrator holds an advisory lock; on SQLite it holds none, so the store takes its own first.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: StoreDialect): Promise<string[]> {
  const run = async () => {
    const { error, results } = await migrator(db, dialect).migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  return dialect === 'sqlite' ? withSqliteMigrationLock(db as Kysely<unknown>, run) : run();
}
