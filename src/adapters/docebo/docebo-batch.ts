// One `POST /manage/v1/user/batch` call: LmsChanges → import rows, and per-row results → outcomes.
// `branch_option: "do_nothing"` leaves every user's branches as they are; `update_user_info: true` makes
// existing users updatable (otherwise Docebo reports them as errors), and
// `ignore_password_change_for_existing_users: true` keeps an update from forcing the learner to set a
// new password at the next login (the option's default, false, does).
import type { RosterErrorData } from '../../domain/errors.ts';
import type { LmsChange, LmsWriteOutcome } from '../../domain/lms.ts';
import { batchRowOutputSchema, batchRowSchema } from './docebo-schemas.ts';

export const BATCH_PATH = '/manage/v1/user/batch';
export const BATCH_CALL = `POST ${BATCH_PATH}`;

export type BatchIdentifyBy = 'user_id' | 'username';

export interface BatchSettings {
  identifyBy: BatchIdentifyBy;
  /**
   * What a row carries to remove an expiration date. The importer only says the value "can be empty";
   * whether "" (or null) clears a date is not documented, so it is configurable and every restore is
   * checked on the next listing (src/app/check-restores.ts).
   */
  clearExpirationWith: '' | null;
}

// Docebo documents `user_id` in batch rows as "integer — the numeric id for a user"; listings send it
// as a string, and Roster keeps it as one.
const NUMERIC_ID = /^[1-9]\d{0,15}$/;

/** The request body for the changes that can be sent, and a failed outcome for each one that cannot. */
export function batchRequest(
  changes: LmsChange[],
  settings: BatchSettings,
): { body: unknown; sent: LmsChange[]; refused: LmsWriteOutcome[] } {
  const sent: LmsChange[] = [];
  const refused: LmsWriteOutcome[] = [];
  for (const c of changes) {
    if (settings.identifyBy === 'user_id' && !NUMERIC_ID.test(c.userId)) {
      refused.push({
        userId: c.userId,
        ok: false,
        error: {
          code: 'ROSTER_DOCEBO_BAD_RESPONSE',
          message:
            `Docebo listed user ${c.username} with id "${c.userId}", not the integer a batch row needs; ` +
            'not sent (docebo.batchIdentifyBy: username would name them by username)',
          retryable: false,
        },
      });
    } else sent.push(c);
  }
  const body = {
    items: sent.map((c) => ({
      ...(settings.identifyBy === 'user_id' ? { user_id: Number(c.userId) } : { username: c.username }),
      active: c.after.active,
      expiration_date: c.after.expirationDate ?? settings.clearExpirationWith,
    })),
    options: {
      update_user_info: true,
      ignore_password_change_for_existing_users: true,
      branch_option: 'do_nothing',
    },
  };
  return { body, sent, refused };
}

const rejected = (message: string): RosterErrorData => ({
  code: 'ROSTER_DOCEBO_REJECTED',
  message,
  retryable: false,
});

/** Docebo may have carried these changes out: the caller settles them against Docebo's state. */
export function unconfirmed(changes: LmsChange[], message: string): LmsWriteOutcome[] {
  return changes.map((c) => ({
    userId: c.userId,
    ok: false,
    unconfirmed: true,
    error: { code: 'ROSTER_DOCEBO_BAD_RESPONSE', message, retryable: true },
  }));
}

/** Maps Docebo's per-row results back to users by `row_index`; a row without a readable result is unconfirmed. */
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
  for (const [position, raw] of data.entries()) {
    const row = batchRowSchema.safeParse(raw);
    if (!row.success) continue;
    const index =
      row.data.row_index !== undefined && Number.isInteger(row.data.row_index)
        ? row.data.row_index
        : position;
    if (byRow.has(index)) continue;
    const output = batchRowOutputSchema.parse(row.data.output);
    const message = [...new Set([row.data.message, output.error].filter((m) => m))].join(' — ');
    byRow.set(index, { success: row.data.success, message });
  }
  return changes.map((c, index): LmsWriteOutcome => {
    const row = byRow.get(index);
    if (!row) {
      return unconfirmed(
        [c],
        `${BATCH_CALL}: Docebo answered without a readable result for row ${index} (user ${c.userId})`,
      )[0] as LmsWriteOutcome;
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
