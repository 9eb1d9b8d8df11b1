// The Store over Kysely: one implementation for SQLite (better-sqlite3) and PostgreSQL (pg), one module
// per role. Every multi-row write runs in one transaction; status changes are conditional updates, so
// two processes cannot both move a plan from the same state. Failures reach callers through one
// wrapper that maps them onto the error registry (store-errors.ts).
import type { Kysely } from 'kysely';
import type { Store } from '../../ports/store.ts';
import { KyselyApprovals } from './kysely-approvals.ts';
import { KyselyAuditLog } from './kysely-audit-log.ts';
import { KyselyCallLog } from './kysely-call-log.ts';
import { KyselyJournal } from './kysely-journal.ts';
import { KyselyLeases } from './kysely-leases.ts';
import { KyselyLinks, KyselySightings } from './kysely-links.ts';
import { KyselyPlans } from './kysely-plans.ts';
import { KyselyReconcileRequests } from './kysely-reconcile-requests.ts';
import { KyselyRuns } from './kysely-runs.ts';
import { KyselyUserCache } from './kysely-user-cache.ts';
import { KyselyWorkQueue } from './kysely-work-queue.ts';
import { MIGRATION_TABLE } from './migrations.ts';
import { withStoreErrors } from './store-errors.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';

export { PLAN_TRANSITIONS } from './kysely-plans.ts';

export interface KyselyStoreOptions {
  db: Kysely<StoreDatabase>;
  dialect: StoreDialect;
  /** The store URL with any password removed, for messages. */
  label: string;
  /** Strings that must never appear in an error message (the database password). */
  secrets: string[];
  now: () => Date;
}

export interface KyselyStore extends Store {
  readonly dialect: StoreDialect;
  /** Names of the migrations recorded as applied, in order (for doctor and tests). */
  appliedMigrations(): Promise<string[]>;
}

export function kyselyStore(options: KyselyStoreOptions): KyselyStore {
  const { db, dialect, now } = options;
  const wrap = <T extends object>(role: string, impl: T): T =>
    withStoreErrors(role, impl, options.label, options.secrets);
  return wrap('store', {
    dialect,
    queue: wrap('queue', new KyselyWorkQueue(db, dialect)),
    plans: wrap('plans', new KyselyPlans(db)),
    runs: wrap('runs', new KyselyRuns(db, now)),
    journal: wrap('journal', new KyselyJournal(db, dialect, now)),
    links: wrap('links', new KyselyLinks(db)),
    sightings: wrap('sightings', new KyselySightings(db)),
    users: wrap('users', new KyselyUserCache(db)),
    approvals: wrap('approvals', new KyselyApprovals(db, dialect)),
    calls: wrap('calls', new KyselyCallLog(db)),
    audit: wrap('audit', new KyselyAuditLog(db, dialect, now)),
    leases: wrap('leases', new KyselyLeases(db)),
    requests: wrap('requests', new KyselyReconcileRequests(db)),
    close: () => db.destroy(),
    appliedMigrations: async () => {
      const rows = await (db as unknown as Kysely<Record<string, { name: string }>>)
        .selectFrom(MIGRATION_TABLE)
        .select('name')
        .orderBy('name')
        .execute();
      return rows.map((r) => r.name);
    },
  });
}
