// One `POST /manage/v1/user/batch` call: LmsChanges → import rows, and per-row results → outcomes.
// `branch_option: "do_nothing"` leaves every user's branches as they are; `update_user_info: true` makes
// existing users updatable (otherwise Docebo reports them as errors), and
// `ignore_password_change_for_existing_users: true` keeps an update from forcing the learner to set a
// new password at the next login (the option's default, false, does). `user_id` is documented as
// "integer — the numeric id for a user": it goes out as a JSON number, though listings send a string.
import type { RosterErrorData } from '../../domain/errors.ts';
import type { LmsChange, LmsWriteOutcome } from '../../domain/lms.ts';
import { batchRowSchema } from './docebo-schemas.ts';

export const BATCH_PATH = '/manage/v1/user/batch';
export const BATCH_CALL = `POST ${BATCH_PATH}`;

export type BatchIdentifyBy = 'user_id' | 'username';

export function batchBody(changes: LmsChange[], identifyBy: BatchIdentifyBy) {
  return {
    items: changes.map((c) => ({
      ...(identifyBy === 'user_id' ? { user_id: Number(c.userId) } : { username: c.username }),
      active: c.after.active,
      // An empty value clears the expiration date (the importer documents "the value can be empty").
      expiration_date: c.after.expirationDate ?? '',
    })),
    options: {
      update_user_info: true,
      ignore_password_change_for_existing_users: true,
      branch_option: 'do_nothing',
    },
  };
}

const rejected = (message: string): RosterErrorData => ({
  code: 'ROSTER_DOCEBO_REJECTED',
  message,
  retryable: false,
});

/** Maps Docebo's per-row results back to users by `row_index`; a row without a result failed. */
export function batchOutcomes(
  changes: LmsChange[],
  data: unknown[] | { success: boolean; message: string },
): LmsWriteOutcome[] {
  if (!Array.isArray(data)) {
    // HTTP 200 with `success: false` for the whole call.
    const error = rejected(
      `${BATCH_CALL}: Docebo refused the batch${data.message ? ` — ${data.message}` : ''}`,
    );
    return changes.map((c) =>
      data.success ? { userId: c.userId, ok: true } : { userId: c.userId, ok: false, error },
    );
  }
  const byRow = new Map<number, { success: boolean; message: string }>();
  for (const raw of data) {
    const row = batchRowSchema.safeParse(raw);
    if (!row.success) continue;
    const message = [...new Set([row.data.message, row.data.output?.error].filter((m) => m))].join(' — ');
    byRow.set(row.data.row_index, { success: row.data.success, message });
  }
  return changes.map((c, index): LmsWriteOutcome => {
    const row = byRow.get(index);
    if (!row) {
      return {
        userId: c.userId,
        ok: false,
        error: {
          code: 'ROSTER_DOCEBO_BAD_RESPONSE',
          message: `${BATCH_CALL}: Docebo returned no result for row ${index} (user ${c.userId})`,
          retryable: true,
        },
      };
    }
    if (row.success) return { userId: c.userId, ok: true };
    return {
      userId: c.userId,
      ok: false,
      error: rejected(
        `${BATCH_CALL}: row ${index} (user ${c.userId}, ${c.username}) — ${row.message || 'no reason given'}`,
      ),
    };
  });
}
