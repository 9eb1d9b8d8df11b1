// What Roster knows about Docebo users, in Roster's own words (vendor names stay in adapters/docebo).
import type { IsoDate } from './dates.ts';
import type { DoceboUserId } from './ids.ts';
import type { RosterErrorData } from './errors.ts';

export interface LmsUser {
  id: DoceboUserId;
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  active: boolean;
  expirationDate: IsoDate | null;
  /** Docebo's own flag: the expiration date has been reached. */
  expired: boolean;
  /** Additional fields by Docebo key, e.g. `field_3`. */
  fields: Record<string, string | null>;
}

/** The access-relevant part of a user: what Roster reads before and writes after. */
export interface AccessState {
  active: boolean;
  expirationDate: IsoDate | null;
}

export interface LmsChange {
  userId: DoceboUserId;
  username: string;
  /** Full desired state; the adapter may send only what differs from `before`. */
  before: AccessState;
  after: AccessState;
}

export type LmsWriteOutcome =
  | { userId: DoceboUserId; ok: true }
  | {
      userId: DoceboUserId;
      ok: false;
      error: RosterErrorData;
      /**
       * Docebo may have carried the change out (it answered 2xx, but what it said about this row cannot
       * be read): the executor settles it against Docebo's state, never by sending it again.
       */
      unconfirmed?: true;
    };
