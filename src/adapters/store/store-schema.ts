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

export interface StoreDatabase {
  links: LinksTable;
  rule_observations: RuleObservationsTable;
  plans: PlansTable;
  runs: RunsTable;
  journal: JournalTable;
}
