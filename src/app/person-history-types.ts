// What one person's story is made of: the events it tells in time order, and what it was told from.
import type { AuditRecord } from '../domain/audit.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { Link } from '../domain/link.ts';
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { AccountRef, ContactRef, Reason } from '../domain/plan.ts';
import type { StoredPlan } from '../ports/store.ts';

export interface PlannedEvent {
  type: 'planned';
  at: string;
  planId: string;
  planStatus: string;
  today: string;
  userId: string;
  username: string;
  contact: ContactRef;
  account: AccountRef | null;
  action: string;
  drift: boolean;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  /** Consecutive plans that decided exactly the same are shown once: how many, and the last one. */
  repeats: number;
  lastAt: string;
  lastPlanId: string;
}

/** Salesforce said a rule holds, but Roster found no Docebo user (or more than one) to act on. */
export interface NotActedEvent {
  type: 'unmatched' | 'ambiguous';
  at: string;
  planId: string;
  contact: ContactRef;
  account: AccountRef | null;
  reasons: Reason[];
  detail: string;
}

export interface WroteEvent {
  type: 'wrote';
  at: string;
  journalId: number;
  runId: string;
  planId: string;
  userId: string;
  username: string;
  contactId: string;
  accountId: string | null;
  action: string;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  outcome: string;
  error: { code: string; message: string } | null;
}

export interface AuditEvent {
  type: 'audit';
  at: string;
  seq: number;
  kind: string;
  ref: string;
  payload: unknown;
  /** Why it belongs here: it names the person, or a plan or account their changes were part of. */
  via: 'person' | 'plan' | 'account';
}

export type HistoryEvent = PlannedEvent | NotActedEvent | WroteEvent | AuditEvent;

export interface PersonHistory {
  query: string;
  found: boolean;
  contactIds: string[];
  userIds: string[];
  names: string[];
  emails: string[];
  links: Link[];
  /** Docebo as the user cache last saw it. */
  docebo: { user: LmsUser; cachedAt: string | null }[];
  events: HistoryEvent[];
}

export interface HistoryInput {
  query: string;
  links: Link[];
  journal: JournalEntry[];
  plans: StoredPlan[];
  audit: AuditRecord[];
  cachedUsers: { users: LmsUser[]; refreshedAt: string | null };
}
