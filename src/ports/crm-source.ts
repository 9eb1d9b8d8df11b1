import type { ContactFacts, ContactQuery } from '../domain/crm.ts';
import type { AccessCheck } from './access-check.ts';

/** Reads managed contacts and their accounts from the CRM (Salesforce). Read-only by design. */
export interface CrmSource {
  /** All contacts inside the scope condition, with exactly the fields the query names. */
  fetchContacts(
    query: ContactQuery,
    onProgress?: (fetched: number, total: number) => void,
  ): Promise<ContactFacts[]>;
  /** Connection, API version and read access to every field the query needs. */
  checkAccess(query: ContactQuery): Promise<AccessCheck[]>;
}
