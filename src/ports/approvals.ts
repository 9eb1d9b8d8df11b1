// Held changes and the decisions people make about them, plus the baseline the source guard compares with.
import type {
  Decision,
  DecisionScope,
  HeldChange,
  HeldStatus,
  NewHeldChange,
} from '../domain/held-change.ts';

export interface HeldQuery {
  status?: HeldStatus;
  accountId?: string;
  planId?: string;
  limit?: number;
}

export interface ApprovalStore {
  /**
   * Records changes the guards held. A change already waiting for the same item with the same `after`
   * is kept as it is (not new); one waiting with another `after` is replaced (its facts moved). With
   * `replaceWaiting` (a full plan saw everything), waiting changes not held again are dropped.
   * Returns the changes that are newly held, for alerting once per hold.
   */
  recordHeld(changes: NewHeldChange[], opts: { at: string; replaceWaiting: boolean }): Promise<HeldChange[]>;
  /** Oldest first. */
  listHeld(query: HeldQuery): Promise<HeldChange[]>;
  /** Moves the waiting (`held`) changes of a plan or an account to the decision; returns them. */
  decide(
    scope: DecisionScope,
    decision: { decision: Decision; by: string; at: string },
  ): Promise<HeldChange[]>;
  /** Waiting, approved (not yet applied) and rejected changes for these items. */
  decisionsFor(itemKeys: string[]): Promise<HeldChange[]>;
  /** Approved changes that have now been written: their approval is used up. */
  markApplied(ids: number[]): Promise<void>;

  /** Managed contacts of the last full plan that passed the source guard; null before the first. */
  getLastManagedCount(): Promise<number | null>;
  /** null forgets the baseline (an admin accepted a smaller Salesforce population). */
  setLastManagedCount(count: number | null): Promise<void>;
}
