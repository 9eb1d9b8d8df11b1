// Rows of a batch Docebo answered with a 2xx it could not make readable: Docebo may have carried them
// out, so sending them again is not the answer (nor is journaling them failed: a retirement that took
// but is journaled failed would not be Roster's to restore). One fresh listing after the run settles
// them as after a crash (src/app/settle-interrupted.ts): already in the desired state → applied,
// otherwise failed. When Docebo cannot be listed either, they stay `pending`, and the next full listing
// (apply, reconciliation) settles them.
import { errorData, type RosterErrorData } from '../domain/errors.ts';
import type { JournalSettlement } from '../domain/journal.ts';
import type { PlanItem } from '../domain/plan.ts';
import { sameAccess } from '../planner/desired-access.ts';
import type { Clock } from '../ports/clock.ts';
import type { LmsTarget } from '../ports/lms-target.ts';
import type { Journal } from '../ports/store.ts';

export interface Unconfirmed {
  item: PlanItem;
  /** What the adapter said about the answer it could not read. */
  error: RosterErrorData;
}

export interface SettledItem {
  item: PlanItem;
  ok: boolean;
  error: RosterErrorData | null;
}

export async function settleUnconfirmed(
  rows: Unconfirmed[],
  deps: { lms: LmsTarget; journal: Pick<Journal, 'settle'>; clock: Clock; runId: string },
): Promise<{ outcomes: SettledItem[]; leftPending: number }> {
  if (rows.length === 0) return { outcomes: [], leftPending: 0 };
  let users;
  try {
    users = await deps.lms.listUsers();
  } catch (e) {
    const why = errorData(e);
    return {
      leftPending: rows.length,
      outcomes: rows.map(({ item, error }) => ({
        item,
        ok: false,
        error: {
          ...error,
          message:
            `${error.message}; Docebo could not be listed to check it (${why.code}), so it stays pending ` +
            'until the next full listing (apply or reconciliation) settles it',
        },
      })),
    };
  }
  const byId = new Map(users.map((u) => [u.id, u]));
  const at = deps.clock.now().toISOString();
  const outcomes: SettledItem[] = rows.map(({ item, error }) => {
    const now = byId.get(item.userId);
    if (now !== undefined && sameAccess(now, item.after)) return { item, ok: true, error: null };
    return {
      item,
      ok: false,
      error: {
        ...error,
        message: `${error.message}; the listing after it shows Docebo does not hold this change`,
      },
    };
  });
  const settlements: JournalSettlement[] = outcomes.map((o) => ({
    runId: deps.runId,
    itemKey: o.item.key,
    outcome: o.ok ? 'applied' : 'failed',
    error: o.error,
    at,
  }));
  await deps.journal.settle(settlements);
  return { outcomes, leftPending: 0 };
}
