// Which Docebo users Roster itself changed, and how: folded from the journal's applied entries. This is
// what makes reactivation safe: Roster only ever undoes its own work, and only while Docebo still holds
// what Roster set.
import type { ContactFacts, Scalar } from '../domain/crm.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { DoceboUserId } from '../domain/ids.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { AccessState } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import { factValue } from '../domain/crm.ts';
import type { Reason } from '../domain/plan.ts';
import { sameAccess } from './desired-access.ts';

/** The rule name of a restore item's reason. */
export const RESTORE_RULE = 'restore';
/** The fact of a restore reason that names the rules Roster had retired the user for. */
export const RETIRED_FOR_FACT = 'Roster retired them for';

export const ownershipOf = (e: JournalEntry): OwnershipRecord => ({
  userId: e.userId,
  username: e.username,
  contactId: e.contactId,
  accountId: e.accountId,
  action: e.action,
  before: e.before,
  after: e.after,
  reasons: e.reasons,
  runId: e.runId,
  entryId: e.id,
  at: e.at,
});

/**
 * The latest applied Roster change per user. When that change is a retirement that continued earlier
 * ones (a future date set, then the deactivation on the day), `before` reaches back to the state before
 * the first of them, so a restore gives back what the person had — not an expired account. A chain
 * breaks wherever Docebo was changed by hand in between (an entry's `before` is not the previous `after`).
 */
export function foldOwnership(entries: JournalEntry[]): OwnershipRecord[] {
  const byUser = new Map<DoceboUserId, JournalEntry[]>();
  for (const e of entries) {
    if (e.outcome !== 'applied') continue;
    const list = byUser.get(e.userId) ?? [];
    list.push(e);
    byUser.set(e.userId, list);
  }
  const out: OwnershipRecord[] = [];
  for (const list of byUser.values()) {
    list.sort((a, b) => a.id - b.id);
    const latest = list[list.length - 1]!;
    let before = latest.before;
    if (latest.action === 'retire') {
      for (let i = list.length - 2; i >= 0; i--) {
        const prev = list[i]!;
        if (prev.action !== 'retire' || !sameAccess(prev.after, before)) break;
        before = prev.before;
      }
    }
    out.push({ ...ownershipOf(latest), before });
  }
  return out.sort((a, b) => a.entryId - b.entryId);
}

export const indexOwnership = (records: OwnershipRecord[]): Map<DoceboUserId, OwnershipRecord> =>
  new Map(records.map((r) => [r.userId, r]));

/** Docebo still holds exactly what Roster set: nobody has touched the user since. */
export const holdsWhatRosterSet = (current: AccessState, record: OwnershipRecord): boolean =>
  sameAccess(current, record.after);

/** Someone gave back access that Roster had taken away (reactivated, or moved the expiration later or off). */
export function accessGivenBack(current: AccessState, record: OwnershipRecord): boolean {
  if (record.action !== 'retire') return false;
  if (current.active && !record.after.active) return true;
  const set = record.after.expirationDate;
  return set !== null && (current.expirationDate === null || current.expirationDate > set);
}

const ruleNames = (reasons: Reason[]): string[] => [...new Set(reasons.map((r) => r.rule))];

/**
 * Why a user is restored: the rules Roster retired them for, and the Salesforce values those rules read
 * as they are now (showing that they stopped holding).
 */
export function restoreReason(
  record: OwnershipRecord,
  contact: ContactFacts | null,
  today: IsoDate,
  extra: Record<string, Scalar> = {},
): Reason {
  const facts: Record<string, Scalar> = { [RETIRED_FOR_FACT]: ruleNames(record.reasons).join(', ') };
  if (contact)
    for (const r of record.reasons)
      for (const path of Object.keys(r.facts)) facts[path] = factValue(contact, path) ?? null;
  return { rule: RESTORE_RULE, effectiveDate: today, dateFrom: 'first-seen', facts: { ...facts, ...extra } };
}

/** The rules a restore reason says Roster had retired the user for. */
export function retiredFor(reasons: Reason[]): string | null {
  const r = reasons.find((x) => x.rule === RESTORE_RULE);
  const v = r?.facts[RETIRED_FOR_FACT];
  return typeof v === 'string' ? v : null;
}
