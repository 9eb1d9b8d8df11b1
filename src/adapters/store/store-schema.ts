// Kysely's view of Roster's tables. Column names are snake_case; JSON columns hold text in both dialects
// so SQLite and PostgreSQL store (and return) byte-identical values.
import type { Generated } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

export interface LinksTable {
  contact_id: string;
  user_id: string;
  matched_on: string;
  linked_at: string;
}

export interface RuleObservationsTable {
  contact_id: string;
  rule: string;
  first_seen: string;
}

export interface PlansTable {
  id: string;
  created_at: string;
  status: string;
  /** The whole Plan as JSON. */
  body: string;
}

export interface RunsTable {
  id: string;
  kind: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  plan_id: string | null;
  /** Record<string, number> as JSON. */
  summary: string;
}

export interface JournalTable {
  id: Generated<number>;
  run_id: string;
  plan_id: string;
  item_key: string;
  at: string;
  user_id: string;
  username: string;
  contact_id: string;
  account_id: string | null;
  before: string;
  after: string;
  reasons: string;
  /** 'retire' | 'restore' | 'undo'; defaults to 'retire' (migration 0004). */
  action: Generated<string>;
  outcome: string;
  error: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string;
  priority: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  /** DirtySource[] as JSON. */
  sources: string;
  first_queued_at: string;
  updated_at: string;
  /** RosterErrorData as JSON. */
  last_error: string | null;
}

export interface FeedCheckpointsTable {
  feed: string;
  /** The feed's own resume state as JSON. */
  state: string;
  updated_at: string;
}

export interface SeenDeliveriesTable {
  source: string;
  id: string;
  seen_at: string;
}

export interface LmsUsersTable {
  user_id: string;
  username: string;
  email: string | null;
  first_name: string;
  last_name: string;
  /** 0 or 1: an integer in both dialects, so both return the same value. */
  active: number;
  expiration_date: string | null;
  expired: number;
  /** Record<string, string | null> as JSON. */
  fields: string;
  cached_at: string;
}

/** Single values the store keeps about itself, e.g. when the user cache was last refreshed. */
export interface StoreMetaTable {
  key: string;
  value: string;
}

export interface CallLogTable {
  id: Generated<number>;
  target: string;
  at: string;
}

/** The hash-chained audit log (see domain/audit.ts); rows are only ever inserted. */
export interface AuditLogTable {
  /** Assigned by the writer under the audit lock, because the hash covers it. */
  seq: number;
  at: string;
  kind: string;
  ref: string;
  /** Canonical JSON. */
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Changes the guards held for a person's decision (migration 0006). */
export interface HeldChangesTable {
  id: Generated<number>;
  plan_id: string;
  item_key: string;
  account_id: string | null;
  account_name: string | null;
  contact_id: string;
  user_id: string;
  username: string;
  guard: string;
  reason: string;
  /** AccessState as JSON. */
  after: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

/** Named leases (migration 0007): who holds the right to write to Docebo, and until when. */
export interface LeasesTable {
  name: string;
  holder: string;
  host: string;
  pid: number;
  role: string;
  acquired_at: string;
  renewed_at: string;
  expires_at: string;
}

/** Reconciliations asked of the active service (migration 0008). */
export interface ReconcileRequestsTable {
  id: string;
  requested_by: string;
  requested_at: string;
  status: string;
  finished_at: string | null;
  /** ReconcileSummary as JSON, once done. */
  result: string | null;
}

export interface StoreDatabase {
  links: LinksTable;
  rule_observations: RuleObservationsTable;
  plans: PlansTable;
  runs: RunsTable;
  journal: JournalTable;
  jobs: JobsTable;
  feed_checkpoints: FeedCheckpointsTable;
  seen_deliveries: SeenDeliveriesTable;
  lms_users: LmsUsersTable;
  store_meta: StoreMetaTable;
  call_log: CallLogTable;
  audit_log: AuditLogTable;
  held_changes: HeldChangesTable;
  leases: LeasesTable;
  reconcile_requests: ReconcileRequestsTable;
}
