// What Roster itself last did to a Docebo user, read from the journal: the proof that a retirement was
// Roster's work (and so Roster's to undo), and the state to put back.
import type { AccountId, ContactId, DoceboUserId } from './ids.ts';
import type { JournalAction } from './journal.ts';
import type { AccessState } from './lms.ts';
import type { Reason } from './plan.ts';

export interface OwnershipRecord {
  userId: DoceboUserId;
  username: string;
  contactId: ContactId;
  accountId: AccountId | null;
  action: JournalAction;
  /** Docebo's state before Roster's change: what a restore puts back. */
  before: AccessState;
  /** What Roster set: a restore happens only while Docebo still holds exactly this. */
  after: AccessState;
  reasons: Reason[];
  runId: string;
  /** The journal entry's id: later entries have higher ids. */
  entryId: number;
  at: string;
}
