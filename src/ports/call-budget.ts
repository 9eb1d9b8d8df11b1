/** Calls to a rate-limited API are paid for from one budget; `acquire` waits until a call may be made. */
export interface CallBudget {
  acquire(): Promise<void>;
  /** Calls still allowed in the current window. */
  remaining(): number;
  /** Calls spent since this budget was created (for summaries and benchmarks). */
  spent(): number;
}
