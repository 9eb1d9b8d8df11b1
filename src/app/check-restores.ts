// After every full listing: the restores Roster made since the listing before took, or a person
// hears of it. Docebo answers success to a batch row whose empty expiration_date it may ignore (not
// documented either way: docebo.clearExpirationWith), and a restore that did not take is silent
// otherwise — Roster's journal says restored, so no later plan touches the user again. Each one found is
// recorded in the audit log (`restore-not-taken`, shown in the person's history), counted
// (roster_restores_not_taken_total) and alerted as drift.
import type { NewAuditRecord } from '../domain/audit.ts';
import { errorData } from '../domain/errors.ts';
import type { LmsUser } from '../domain/lms.ts';
import { restoresNotTaken, type RestoreNotTaken } from '../planner/restore-check.ts';
import type { RosterContext } from './roster-context.ts';

const MAX_LISTED = 50;

const auditRecord = (r: RestoreNotTaken): NewAuditRecord => ({
  kind: 'restore-not-taken',
  ref: `user:${r.record.userId}`,
  payload: {
    userId: r.record.userId,
    username: r.record.username,
    contactId: r.record.contactId,
    accountId: r.record.accountId,
    journalId: r.record.entryId,
    runId: r.record.runId,
    action: r.record.action,
    restoredTo: r.record.after,
    found: r.found,
    stillInactive: r.stillInactive,
    expirationStillSet: r.expirationStillSet,
  },
});

function summary(found: RestoreNotTaken[]): string {
  const n = found.length;
  const dates = found.filter((r) => r.expirationStillSet).length;
  const head =
    `${n} Docebo user${n === 1 ? '' : 's'} Roster restored did not get access back, although Docebo ` +
    'reported the restore as done';
  if (dates === 0) return `${head}: still inactive; fix them by hand in Docebo`;
  return (
    `${head}: the expiration date stayed for ${dates === n ? (n === 1 ? 'them' : 'all of them') : `${dates} of them`}. ` +
    'Docebo may ignore an empty expiration_date: try docebo.clearExpirationWith: null, and clear the ' +
    'dates by hand in Docebo'
  );
}

/** Never throws: a listing is not undone because its check could not be recorded. */
export async function checkRestores(
  ctx: Pick<RosterContext, 'store' | 'clock' | 'alerter' | 'telemetry'>,
  users: readonly LmsUser[],
  listings: { previousListingAt: string | null; listingAt: string },
): Promise<RestoreNotTaken[]> {
  if (listings.previousListingAt === null) return [];
  let found: RestoreNotTaken[];
  try {
    found = restoresNotTaken({ ownership: await ctx.store.journal.ownership(), ...listings, users });
  } catch {
    return [];
  }
  if (found.length === 0) return [];
  let auditError: string | undefined;
  await ctx.store.audit.append(found.map(auditRecord)).catch((e: unknown) => {
    auditError = errorData(e).message;
  });
  ctx.telemetry?.count('roster_restores_not_taken_total', {}, found.length);
  await ctx.alerter
    ?.send({
      kind: 'drift',
      severity: 'critical',
      summary: summary(found),
      details: {
        type: 'restore-not-taken',
        count: found.length,
        users: found.slice(0, MAX_LISTED).map((r) => ({
          username: r.record.username,
          userId: r.record.userId,
          runId: r.record.runId,
          restoredTo: r.record.after,
          found: r.found,
        })),
        ...(auditError ? { auditError } : {}),
      },
      at: ctx.clock.now().toISOString(),
    })
    .catch(() => undefined);
  return found;
}
