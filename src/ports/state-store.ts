import type { JournalEntry, JournalSettlement, NewJournalEntry, Run, RunStatus } from '../domain/journal.ts';
import type { ContactId, DoceboUserId } from '../domain/ids.ts';
import type { Link, RuleObservation } from '../domain/link.ts';
import type { Plan } from '../domain/plan.ts';
import type { CallLog } from './call-log.ts';
import type { LmsUserCache } from './lms-user-cache.ts';
import type { WorkQueue } from './work-queue.ts';

export type PlanStatus = 'draft' | 'applying' | 'applied' | 'partially-applied' | 'failed';

export interface JournalQuery {
  runId?: string;
  userId?: DoceboUserId;
  contactId?: ContactId;
  limit?: number;
}

/** Roster's own durable state: links, rule observations, plans, runs and the journal. */
export interface StateStore extends WorkQueue, LmsUserCache, CallLog {
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
}
