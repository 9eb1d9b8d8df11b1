// What Roster knows about Salesforce: managed contacts with their parent account, as plain values.
import type { AccountId, ContactId } from './ids.ts';

/** A field value as Roster sees it: dates as 'YYYY-MM-DD', datetimes as ISO-8601 strings. */
export type Scalar = string | number | boolean | null;

export interface AccountFacts {
  id: AccountId;
  name: string;
  /** Every Account field the config reads, by API name (e.g. `Status__c`). */
  fields: Record<string, Scalar>;
}

export interface ContactFacts {
  id: ContactId;
  name: string;
  email: string | null;
  accountId: AccountId | null;
  /** Every Contact field the config reads, by API name (e.g. `Left_Date__c`, `Email`). */
  fields: Record<string, Scalar>;
  account: AccountFacts | null;
}

/** What the CRM adapter must read: fields per object, and the scope condition (SOQL, on Contact). */
export interface ContactQuery {
  scope: string;
  contactFields: string[];
  accountFields: string[];
  /** Paths the rules read a retirement date from (`Left_Date__c`, `Account.Retired_Date__c`): they
   * must be date or dateTime fields, which `CrmSource.checkAccess` verifies. */
  dateFields?: string[];
}

/** Narrows a contact read to some records: the event path looks only at what a feed marked dirty. */
export interface ContactFilter {
  contactIds: string[];
  /** Every in-scope contact of these accounts (an account change can retire all of its people). */
  accountIds: string[];
}

/** One record a change poll found: its id, when it changed, and whether it was deleted. */
export interface RecordChange {
  id: string;
  systemModstamp: string;
  deleted: boolean;
}

/** Reads a field by the path a rule or match key uses: `Email`, `Account.Status__c`. */
export function factValue(contact: ContactFacts, path: string): Scalar | undefined {
  const dot = path.indexOf('.');
  if (dot < 0) return lookup(contact.fields, path);
  const rel = path.slice(0, dot);
  const field = path.slice(dot + 1);
  if (rel.toLowerCase() !== 'account') return undefined;
  if (!contact.account) return null;
  return lookup(contact.account.fields, field);
}

// SOQL field names are case-insensitive.
function lookup(fields: Record<string, Scalar>, name: string): Scalar | undefined {
  if (name in fields) return fields[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
