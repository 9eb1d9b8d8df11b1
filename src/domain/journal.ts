// The journal: one entry per change Roster tried, with what was there before, what it set and why.
import type { RosterErrorData } from './errors.ts';
import type { AccountId, ContactId, DoceboUserId } from './ids.ts';
import type { AccessState } from './lms.ts';
import type { Reason } from './plan.ts';

// `pending` is written before a batch goes to Docebo and settled after it answers: a crash in between
// leaves a trace that the next apply resolves against Docebo's actual state (write-ahead journal).
// `observed`: serve's observe mode would have made this change, and wrote nothing to Docebo.
export type JournalOutcome = 'pending' | 'applied' | 'failed' | 'observed';

/** What a change was for: retiring someone, restoring someone Roster had retired, or an admin's undo. */
export type JournalAction = 'retire' | 'restore' | 'undo';

/** How a pending entry ended. */
export interface JournalSettlement {
  runId: string;
  itemKey: string;
  outcome: 'applied' | 'failed';
  error: RosterErrorData | null;
  at: string;
}

export interface JournalEntry {
  id: number;
  runId: string;
  planId: string;
  itemKey: string;
  at: string;
  userId: DoceboUserId;
  username: string;
  contactId: ContactId;
  accountId: AccountId | null;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  action: JournalAction;
  outcome: JournalOutcome;
  error: RosterErrorData | null;
}

export type NewJournalEntry = Omit<JournalEntry, 'id'>;

export type RunKind = 'plan' | 'apply';
export type RunStatus = 'running' | 'succeeded' | 'partially-failed' | 'failed' | 'interrupted';

export interface Run {
  id: string;
  kind: RunKind;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  planId: string | null;
  summary: Record<string, number>;
}
