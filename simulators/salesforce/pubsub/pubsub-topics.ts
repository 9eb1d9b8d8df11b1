// The Pub/Sub topics the simulator serves: Change Data Capture channels for the entities Roster reads.
import type { SObjectType } from '../schema.ts';

/** Topic name → the entities it carries. Case-sensitive, as Salesforce's. */
export const TOPICS: Record<string, SObjectType[]> = {
  '/data/ChangeEvents': ['Account', 'Contact'],
  '/data/AccountChangeEvent': ['Account'],
  '/data/ContactChangeEvent': ['Contact'],
};
