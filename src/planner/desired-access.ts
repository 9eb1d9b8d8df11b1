// The access a linked Docebo user should have, as a pure function of the reasons, the mode and today.
import type { IsoDate } from '../domain/dates.ts';
import type { AccessState } from '../domain/lms.ts';
import type { Reason, RetireMode } from '../domain/plan.ts';
import { effectiveDate } from './reasons.ts';

export function desiredAccess(
  before: AccessState,
  reasons: Reason[],
  mode: RetireMode,
  today: IsoDate,
): AccessState {
  const date = effectiveDate(reasons);
  // No rule holds: leave the user alone. Undoing Roster's own retirements is a separate, ownership-checked step.
  if (date === null) return before;

  let expirationDate = before.expirationDate;
  if (mode !== 'deactivate') {
    // Never move an existing, earlier expiration later: retiring someone must not extend their access.
    expirationDate =
      before.expirationDate !== null && before.expirationDate < date ? before.expirationDate : date;
  }
  let active = before.active;
  // A future date leaves the user active; Docebo expires them by itself on that day, and a later run
  // deactivates them. Roster never activates anyone here.
  if (mode !== 'expire' && date <= today) active = false;
  return { active, expirationDate };
}

export const sameAccess = (a: AccessState, b: AccessState): boolean =>
  a.active === b.active && a.expirationDate === b.expirationDate;
