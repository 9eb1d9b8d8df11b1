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
}
