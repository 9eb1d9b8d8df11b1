// Full reconciliations asked of the active `roster serve` through the store: `roster apply` next to a
// running service hands its work over this way instead of racing it for Docebo (one writer at a time).

/** How a reconciliation that served a request ended. */
export interface ReconcileSummary {
  runId: string | null;
  /** The run's status, `nothing-to-do`, or `failed` when it could not run. */
  status: string;
  changes: number;
  applied: number;
  failed: number;
  /** Changes the guards held for approval. */
  held: number;
}

export interface ReconcileRequest {
  id: string;
  /** Who asked, e.g. `roster apply on host-1 (pid 4711)`. */
  by: string;
  requestedAt: string;
  status: 'waiting' | 'running' | 'done';
  finishedAt: string | null;
  result: ReconcileSummary | null;
}

export interface ReconcileRequests {
  add(request: { id: string; by: string; at: string }): Promise<void>;
  /** Marks every waiting request running and returns their ids (one reconciliation serves them all). */
  claimWaiting(): Promise<string[]>;
  finish(ids: string[], result: ReconcileSummary, at: string): Promise<void>;
  get(id: string): Promise<ReconcileRequest | null>;
}
