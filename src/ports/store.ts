// Roster's own durable state, as one record of small ports by role. A use case asks for the roles it
// uses (`Pick<Store, 'queue' | 'plans'>`), so a test fake implements only those.
import type { JournalEntry, JournalSettlement, NewJournalEntry, Run, RunStatus } from '../domain/journal.ts';
import type { AccountId, ContactId, DoceboUserId } from '../domain/ids.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import type { Link, RuleObservation } from '../domain/link.ts';
import type { Plan } from '../domain/plan.ts';
import type { PlanStatus, StoredPlan } from '../domain/stored-plan.ts';
import type { ApprovalStore } from './approvals.ts';
import type { AuditLog } from './audit-log.ts';
import type { CallLog } from './call-log.ts';
import type { LeaseStore } from './lease-store.ts';
import type { LmsUserCache } from './lms-user-cache.ts';
import type { ReconcileRequests } from './reconcile-requests.ts';
import type { WorkQueue } from './work-queue.ts';

export { PLAN_STATUSES, type PlanStatus, type StoredPlan } from '../domain/stored-plan.ts';

export interface PlanQuery {
  status?: PlanStatus | readonly PlanStatus[];
  limit: number;
}

/** Plans as artifacts: saved, reviewed, claimed for applying, finished. Transitions are enforced. */
export interface PlanStore {
  save(plan: Plan, status: PlanStatus): Promise<void>;
  get(id: string): Promise<StoredPlan | null>;
  setStatus(id: string, status: PlanStatus): Promise<void>;
  /** Newest first. */
  list(query: PlanQuery): Promise<StoredPlan[]>;
  /** Marks every draft or approved plan created at or before `createdAtOrBefore`, except `exceptId`, superseded; returns their ids. */
  supersede(opts: { exceptId: string; createdAtOrBefore: string }): Promise<string[]>;
}

/** Apply runs: one per execution of a plan. */
export interface RunLog {
  start(run: Run): Promise<void>;
  finish(id: string, status: RunStatus, summary: Record<string, number>): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<Run[]>;
  /** Marks runs left `running` by a crashed process as `interrupted`; returns how many. */
  markInterrupted(): Promise<number>;
}

export interface JournalQuery {
  runId?: string;
  userId?: DoceboUserId;
  contactId?: ContactId;
  accountId?: AccountId;
  limit?: number;
}

/** Every change Roster writes, journaled `pending` before Docebo sees it and settled after. */
export interface Journal {
  /** Appends entries atomically: all of them or none (with their audit records). */
  append(entries: NewJournalEntry[]): Promise<void>;
  /** Turns `pending` entries into their outcome, atomically. */
  settle(settlements: JournalSettlement[]): Promise<void>;
  /** Entries still `pending` whose run is no longer running: a crash interrupted them. Oldest first. */
  listUnsettled(): Promise<JournalEntry[]>;
  /** Newest first. */
  list(query: JournalQuery): Promise<JournalEntry[]>;
  /** Roster's latest applied change per Docebo user (retirement chains reach back to their first `before`). */
  ownership(): Promise<OwnershipRecord[]>;
}

/** Contact ↔ Docebo user links the planner found. */
export interface LinkStore {
  list(): Promise<Link[]>;
  /** Replaces the whole table (a full reconciliation recomputes every link). */
  replace(links: Link[]): Promise<void>;
  /** Adds or replaces links of some contacts, leaving the others (the event path sees a few contacts). */
  upsert(links: Link[]): Promise<void>;
}

/** When Roster first saw each rule hold for a contact (the effective date of a rule without a date field). */
export interface SightingStore {
  list(): Promise<RuleObservation[]>;
  /** Adds first sightings (keeping an existing, earlier one) and forgets rules that stopped holding. */
  update(add: RuleObservation[], remove: { contactId: ContactId; rule: string }[]): Promise<void>;
}

export interface Store {
  queue: WorkQueue;
  plans: PlanStore;
  runs: RunLog;
  journal: Journal;
  links: LinkStore;
  sightings: SightingStore;
  users: LmsUserCache;
  approvals: ApprovalStore;
  calls: CallLog;
  audit: AuditLog;
  leases: LeaseStore;
  requests: ReconcileRequests;
  close(): Promise<void>;
}
