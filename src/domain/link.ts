// A link ties one Salesforce contact to one Docebo user, found by the configured match keys.
import type { IsoDate } from './dates.ts';
import type { ContactId, DoceboUserId } from './ids.ts';

export interface Link {
  contactId: ContactId;
  userId: DoceboUserId;
  /** Which match key found it, e.g. `email`, `username`, `field_3`. */
  matchedOn: string;
  linkedAt: string;
}

/** The day Roster first saw a rule hold for a contact; used when the rule's date field is empty. */
export interface RuleObservation {
  contactId: ContactId;
  rule: string;
  firstSeen: IsoDate;
}
