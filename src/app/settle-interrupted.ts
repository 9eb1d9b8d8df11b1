// After a crash, journal entries of the batch in flight are still `pending`: nobody knows whether Docebo
// took them (the same holds for a batch whose 2xx answer could not be read when Docebo could not be
// listed right after it: executor/settle-unconfirmed.ts). Docebo's current state answers that. A user already in the desired state was applied; any
// other was not, and the fresh plan (computed from the same Docebo read) includes it again if needed.
import type { JournalSettlement } from '../domain/journal.ts';
import type { LmsUser } from '../domain/lms.ts';
import { ERROR_CODES } from '../domain/errors.ts';
import type { RosterContext } from './roster-context.ts';

export async function settleInterrupted(
  ctx: Pick<RosterContext, 'store' | 'clock'>,
  users: LmsUser[],
): Promise<number> {
  const pending = await ctx.store.journal.listUnsettled();
  if (pending.length === 0) return 0;
  const byId = new Map(users.map((u) => [u.id, u]));
  const at = ctx.clock.now().toISOString();
  const settlements: JournalSettlement[] = pending.map((entry) => {
    const now = byId.get(entry.userId);
    const took =
      now !== undefined &&
      now.active === entry.after.active &&
      now.expirationDate === entry.after.expirationDate;
    return {
      runId: entry.runId,
      itemKey: entry.itemKey,
      outcome: took ? 'applied' : 'failed',
      error: took
        ? null
        : {
            code: 'ROSTER_INTERRUPTED',
            message:
              'Docebo never confirmed this change (Roster stopped, or its answer could not be read) and does not hold it',
            retryable: ERROR_CODES.ROSTER_INTERRUPTED.retryable,
          },
      at,
    };
  });
  await ctx.store.journal.settle(settlements);
  return settlements.length;
}
