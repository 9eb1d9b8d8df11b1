// The one batching loop: changes go to the LMS in sequential batches of `batchSize`, one call each, and
// a batch that fails as a whole (Docebo refused the token, answered 5xx after its retries) becomes a
// failed outcome per row: per-item failures are data, and the next batch is still tried.
import { errorData } from '../domain/errors.ts';
import type { LmsChange, LmsWriteOutcome } from '../domain/lms.ts';
import type { LmsTarget } from '../ports/lms-target.ts';
import { chunk } from './execution-order.ts';

export interface BatchHooks<T> {
  /** Runs before a batch is sent (the journal's write-ahead). */
  before?(batch: T[]): Promise<void>;
  /** Runs once the LMS answered, with one outcome per item in batch order (the journal's settlement). */
  after?(batch: T[], outcomes: LmsWriteOutcome[]): Promise<void>;
}

export async function sendBatch(lms: LmsTarget, changes: LmsChange[]): Promise<LmsWriteOutcome[]> {
  let written: LmsWriteOutcome[];
  try {
    written = await lms.writeBatch(changes);
  } catch (e) {
    const error = errorData(e);
    return changes.map((c) => ({ userId: c.userId, ok: false as const, error }));
  }
  // One outcome per change, in order, whatever the adapter returned.
  const byUser = new Map(written.map((w) => [w.userId, w]));
  return changes.map(
    (c): LmsWriteOutcome =>
      byUser.get(c.userId) ?? {
        userId: c.userId,
        ok: false,
        // The batch was answered without a word on this row: it may have been carried out.
        unconfirmed: true,
        error: {
          code: 'ROSTER_DOCEBO_BAD_RESPONSE',
          message: 'Docebo returned no result for this user',
          retryable: true,
        },
      },
  );
}

export async function writeInBatches<T>(
  lms: LmsTarget,
  items: T[],
  toChange: (item: T) => LmsChange,
  batchSize: number,
  hooks: BatchHooks<T> = {},
): Promise<LmsWriteOutcome[]> {
  const outcomes: LmsWriteOutcome[] = [];
  for (const batch of chunk(items, batchSize)) {
    await hooks.before?.(batch);
    const written = await sendBatch(lms, batch.map(toChange));
    await hooks.after?.(batch, written);
    outcomes.push(...written);
  }
  return outcomes;
}
