// A plan is a stored, versioned artifact: what would change in Docebo, and why.
import type { Scalar } from './crm.ts';
import type { IsoDate } from './dates.ts';
import type { AccountId, ContactId, DoceboUserId } from './ids.ts';
import type { AccessState } from './lms.ts';

export const PLAN_FORMAT_VERSION = 1;

export type RetireMode = 'expire' | 'deactivate' | 'expire-and-deactivate';

/** A rule that holds for a contact, with the date it takes effect and the Salesforce values behind it. */
export interface Reason {
  rule: string;
  effectiveDate: IsoDate;
  /** `field`: read from the rule's retireOn field; `first-seen`: the field was empty, so the day Roster first saw the rule hold. */
  dateFrom: 'field' | 'first-seen';
  /** The Salesforce values the rule read, by path (e.g. `Account.Status__c`). */
  facts: Record<string, Scalar>;
}

export interface ContactRef {
  id: ContactId;
  name: string;
  email: string | null;
}

export interface AccountRef {
  id: AccountId;
  name: string;
}

export interface PlanItem {
  /** Stable within a plan: `<contactId>:<doceboUserId>`. */
  key: string;
  userId: DoceboUserId;
  username: string;
  contact: ContactRef;
  account: AccountRef | null;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  /** Absent means 'retire' (plans saved before restores existed). */
  action?: PlanItemAction;
  /** A user Roster had retired whom someone reactivated in Docebo while a rule still holds. */
  drift?: boolean;
}

export type PlanItemAction = 'retire' | 'restore' | 'undo';
export const itemAction = (i: PlanItem): PlanItemAction => i.action ?? 'retire';

export interface UnmatchedContact {
  contact: ContactRef;
  account: AccountRef | null;
  /** Rules that hold: a non-empty list means someone Roster should retire but cannot find. */
  reasons: Reason[];
}

export interface AmbiguousContact {
  contact: ContactRef;
  account: AccountRef | null;
  /** The match key that found more than one candidate, e.g. `email`. */
  matchedOn: string;
  value: string;
  candidates: { userId: DoceboUserId; username: string }[];
  /** Other contacts that claim the same Docebo user, when that is the cause. */
  rivals: ContactId[];
  reasons: Reason[];
}

/** A rule holds for the contact but its retireOn field holds something that is not a date. */
export interface DateProblem {
  rule: string;
  /** The retireOn field path, e.g. `Left_Date__c`. */
  field: string;
  /** What Salesforce holds there. */
  value: Scalar;
}

/** A contact Roster cannot plan for until a Salesforce value is fixed: nothing is written for them. */
export interface InvalidContact {
  contact: ContactRef;
  account: AccountRef | null;
  problems: DateProblem[];
}

export interface PlanSummary {
  changes: number;
  deactivations: number;
  expirationsSet: number;
  /** Users restored to the state before Roster retired them (absent in older plans: 0). */
  restores?: number;
  /** Retirements that re-retire someone reactivated by hand while a rule holds. */
  drift?: number;
  accounts: number;
  managedContacts: number;
  linked: number;
  unmatched: number;
  ambiguous: number;
  /** Contacts left out because a value Roster reads is unusable (absent in older plans: 0). */
  invalid?: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  id: string;
  createdAt: string;
  today: IsoDate;
  mode: RetireMode;
  /** Fingerprints of the facts the plan was computed from, so a stored plan can detect that they moved. */
  basis: { crmDigest: string; lmsDigest: string };
  summary: PlanSummary;
  items: PlanItem[];
  unmatched: UnmatchedContact[];
  ambiguous: AmbiguousContact[];
  /** Absent in plans saved before it existed. */
  invalid?: InvalidContact[];
}

export const isDeactivation = (i: PlanItem): boolean => i.before.active && !i.after.active;
export const setsExpiration = (i: PlanItem): boolean => i.before.expirationDate !== i.after.expirationDate;
