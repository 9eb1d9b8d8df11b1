// Did Roster's restores take? Docebo's batch import reports success for a row whose empty
// `expiration_date` it may simply ignore (what an empty value does is not documented), so a restore is
// only known to have worked once a listing shows it. This compares the first listing after each restore
// with what the restore set: a user still inactive, or still carrying an expiration date the restore
// removed or moved later, did not get their access back. Pure: the caller brings the journal's view
// (ownership), when the previous listing was taken, and the new listing.
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';

export interface RestoreNotTaken {
  record: OwnershipRecord;
  /** What Docebo holds now. */
  found: AccessState & { expired: boolean };
  stillInactive: boolean;
  /** The restore removed the expiration date (or moved it later) and Docebo still has the earlier one. */
  expirationStillSet: boolean;
}

const later = (a: string | null, b: string | null): boolean =>
  a === null ? b !== null : b !== null && a > b;

/** The restore gave access back: reactivated, or removed the expiration date or moved it later. */
export function givesAccessBack(record: OwnershipRecord): boolean {
  const { before, after } = record;
  return (after.active && !before.active) || later(after.expirationDate, before.expirationDate);
}

export function restoresNotTaken(input: {
  ownership: readonly OwnershipRecord[];
  /** When the listing before this one began; null when there was none (nothing to check against). */
  previousListingAt: string | null;
  /** When this listing began. */
  listingAt: string;
  users: readonly LmsUser[];
}): RestoreNotTaken[] {
  const since = input.previousListingAt;
  if (since === null) return [];
  const byId = new Map(input.users.map((u) => [u.id, u]));
  const out: RestoreNotTaken[] = [];
  for (const record of input.ownership) {
    // Roster's latest change to this user gave access back. It is checked by the first listing that began
    // after it was made (one that began earlier, or in the same millisecond, may have read Docebo before
    // the write): previous listing's start ≤ made < this listing's start — once, and never too early.
    if (record.action === 'retire' || !givesAccessBack(record)) continue;
    if (record.at < since || record.at >= input.listingAt) continue;
    const user = byId.get(record.userId);
    // A user no longer listed was deleted; that is not a restore that failed.
    if (!user) continue;
    const { before, after } = record;
    const stillInactive = after.active && !before.active && !user.active;
    const expirationStillSet =
      later(after.expirationDate, before.expirationDate) && later(after.expirationDate, user.expirationDate);
    if (stillInactive || expirationStillSet)
      out.push({
        record,
        found: { active: user.active, expirationDate: user.expirationDate, expired: user.expired },
        stillInactive,
        expirationStillSet,
      });
  }
  return out;
}
