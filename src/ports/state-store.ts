import type { JournalEntry, JournalSettlement, NewJournalEntry, Run, RunStatus } from '../domain/journal.ts';
import type { AccountId, ContactId, DoceboUserId } from '../domain/ids.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import type { Link, RuleObservation } from '../domain/link.ts';
import type { Plan } from '../domain/plan.ts';
import type { ApprovalStore } from './approvals.ts';
import type { AuditLog } from './audit-log.ts';
import type { CallLog } from './call-log.ts';
import type { LmsUserCache } from './lms-user-cache.ts';
import type { WorkQueue } from './work-queue.ts';

export type PlanStatus =
  'draft' | 'approved' | 'applying' | 'applied' | 'partially-applied' | 'failed' | 'superseded';

/** A stored plan and where it stands. */
export interface StoredPlan {
  plan: Plan;
  status: PlanStatus;
}

export interface PlanQuery {
  status?: PlanStatus | readonly PlanStatus[];
  limit: number;
}

export interface JournalQuery {
  runId?: string;
  userId?: DoceboUserId;
  contactId?: ContactId;
  accountId?: AccountId;
  limit?: number;
}

/** Roster's own durable state: links, rule observations, plans, runs and the journal. */
export interface StateStore extends WorkQueue, LmsUserCache, CallLog, AuditLog, ApprovalStore {
  close(): Promise<void>;

  listLinks(): Promise<Link[]>;
  /** Replaces the whole link table (a full reconciliation recomputes every link). */
  replaceLinks(links: Link[]): Promise<void>;

  listRuleObservations(): Promise<RuleObservation[]>;
  /** Adds first sightings (keeping an existing, earlier one) and forgets rules that stopped holding. */
  updateRuleObservations(
    add: RuleObservation[],
    remove: { contactId: ContactId; rule: string }[],
  ): Promise<void>;

  savePlan(plan: Plan, status: PlanStatus): Promise<void>;
  getPlan(id: string): Promise<{ plan: Plan; status: PlanStatus } | null>;
  setPlanStatus(id: string, status: PlanStatus): Promise<void>;
  /** Newest first. */
  listPlans(query: PlanQuery): Promise<StoredPlan[]>;
  /** Marks every draft or approved plan created at or before `createdAtOrBefore`, except `exceptId`, superseded; returns their ids. */
  supersedePlans(opts: { exceptId: string; createdAtOrBefore: string }): Promise<string[]>;

  startRun(run: Run): Promise<void>;
  finishRun(id: string, status: RunStatus, summary: Record<string, number>): Promise<void>;
  listRuns(limit: number): Promise<Run[]>;
  /** Marks runs left `running` by a crashed process as `interrupted`; returns how many. */
  markInterruptedRuns(): Promise<number>;

  /** Appends entries atomically: all of them or none. */
  appendJournal(entries: NewJournalEntry[]): Promise<void>;
  /** Turns `pending` entries into their outcome, atomically. */
  settleJournal(settlements: JournalSettlement[]): Promise<void>;
  /** Entries still `pending` whose run is no longer running: a crash interrupted them. Oldest first. */
  listUnsettledJournal(): Promise<JournalEntry[]>;
  /** Newest first. */
  listJournal(query: JournalQuery): Promise<JournalEntry[]>;
  /** Roster's latest applied change per Docebo user (retirement chains reach back to their first `before`). */
  listOwnership(): Promise<OwnershipRecord[]>;
}
