// Rows the store contract suites write and read back, numbered so a test can name them: contact `n`,
// its link to Docebo user `u<n>`.
import { contactId, doceboUserId, type ContactId } from '../../src/domain/ids.ts';
import type { Link } from '../../src/domain/link.ts';

/** A Salesforce contact id, distinct per `n` (0–999). */
export const contactKey = (n: number): string => `003000000000${String(n).padStart(3, '0')}AAA`;
export const cid = (n: number): ContactId => contactId(contactKey(n));

export const link = (n: number, userId = `u${n}`): Link => ({
  contactId: cid(n),
  userId: doceboUserId(userId),
  matchedOn: 'email',
  linkedAt: '2025-01-02T03:04:05.000Z',
});
