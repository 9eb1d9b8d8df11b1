import type { ContactFacts, ContactFilter, ContactQuery, RecordChange } from '../domain/crm.ts';
import type { AccessCheck } from './access-check.ts';

/** Reads managed contacts and their accounts from the CRM (Salesforce). Read-only by design. */
export interface CrmSource {
  /** All contacts inside the scope condition (or only those the filter names), with the query's fields. */
  fetchContacts(
    query: ContactQuery,
    onProgress?: (fetched: number, total: number) => void,
    filter?: ContactFilter,
  ): Promise<ContactFacts[]>;
  /** Records of one object changed at or after `since` (deleted ones included), oldest change first. */
  changedSince(object: 'Account' | 'Contact', since: string): Promise<RecordChange[]>;
  /** The org's daily API use as last reported by Salesforce (Sforce-Limit-Info), if known. */
  apiUsage(): { used: number; max: number } | null;
  /** Connection, API version and read access to every field the query needs. */
  checkAccess(query: ContactQuery): Promise<AccessCheck[]>;
}
