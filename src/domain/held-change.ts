// A change the guards held back for a person to approve or reject, and what they decided.
import type { AccountId, ContactId, DoceboUserId } from './ids.ts';
import type { AccessState } from './lms.ts';

/** The limit that held a change (named as in roster.yaml's `guards:`). */
export type GuardName = 'maxPerAccount' | 'maxRetirementsPerRun' | 'maxRetirementsPercent';

// `applied`: an approved change that has since been written; its approval is used up.
export type HeldStatus = 'held' | 'approved' | 'rejected' | 'applied';

export type Decision = 'approved' | 'rejected';

export interface NewHeldChange {
  planId: string;
  itemKey: string;
  accountId: AccountId | null;
  accountName: string | null;
  contactId: ContactId;
  userId: DoceboUserId;
  username: string;
  guard: GuardName;
  /** One line a person reads, e.g. "312 retirements exceed maxPerAccount 200". */
  reason: string;
  /** The state the change would set: an approval covers exactly this. */
  after: AccessState;
}

export interface HeldChange extends NewHeldChange {
  id: number;
  status: HeldStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** Which held changes a decision covers: a whole plan or one company. */
export type DecisionScope =
  { planId: string; accountId?: undefined } | { accountId: string; planId?: undefined };
