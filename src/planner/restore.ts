// The part of planning that looks at Roster's own past changes: restoring users Roster retired once no
// rule holds any more, and recognising drift (access given back by hand while a rule still holds).
import type { ContactFacts } from '../domain/crm.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { AccessState } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import type { Reason } from '../domain/plan.ts';
import { sameAccess } from './desired-access.ts';
import { accessGivenBack, holdsWhatRosterSet, restoreReason } from './ownership.ts';

/**
 * A linked user for whom no rule holds is restored to the state before Roster retired them — only if
 * Roster's latest change was that retirement and Docebo still holds exactly what Roster set. A user
 * retired by hand has no record; one an admin changed since is theirs now: both are left alone.
 */
export function restoreFor(
  contact: ContactFacts,
  current: AccessState,
  holding: Reason[],
  record: OwnershipRecord | undefined,
  today: IsoDate,
): { after: AccessState; reasons: Reason[] } | null {
  if (holding.length > 0 || !record || record.action !== 'retire') return null;
  if (!holdsWhatRosterSet(current, record) || sameAccess(current, record.before)) return null;
  return { after: record.before, reasons: [restoreReason(record, contact, today)] };
}

/** A rule holds, Roster had retired the user, and someone gave the access back in Docebo. */
export const isDrift = (
  current: AccessState,
  holding: Reason[],
  record: OwnershipRecord | undefined,
): boolean => holding.length > 0 && record !== undefined && accessGivenBack(current, record);
