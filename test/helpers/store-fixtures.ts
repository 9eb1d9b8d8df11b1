// Rows the store contract suites write and read back, numbered so a test can name them: contact `n`,
// its link to Docebo user `u<n>`, the journal entry that retired that user.
import { accountId, contactId, doceboUserId, type ContactId } from '../../src/domain/ids.ts';
import type { NewJournalEntry } from '../../src/domain/journal.ts';
import type { Link } from '../../src/domain/link.ts';
import { d } from './facts.ts';

/** A Salesforce contact id, distinct per `n` (0–999). */
export const contactKey = (n: number): string => `003000000000${String(n).padStart(3, '0')}AAA`;
export const cid = (n: number): ContactId => contactId(contactKey(n));

export const link = (n: number, userId = `u${n}`): Link => ({
  contactId: cid(n),
  userId: doceboUserId(userId),
  matchedOn: 'email',
  linkedAt: '2025-01-02T03:04:05.000Z',
});

/** Contact `n`'s user retired in run-1 of plan-1, applied; `over` states what a test is about. */
export function journalEntry(n: number, over: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    runId: 'run-1',
    planId: 'plan-1',
    itemKey: `${cid(n)}:u${n}`,
    at: `2025-03-01T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    userId: doceboUserId(`u${n}`),
    username: `user${n}`,
    contactId: cid(n),
    accountId: accountId('001000000000001AAA'),
    before: { active: true, expirationDate: null },
    after: { active: false, expirationDate: d('2025-02-28') },
    reasons: [{ rule: 'leaver', effectiveDate: d('2025-02-28'), dateFrom: 'first-seen', facts: { X: null } }],
    action: 'retire',
    outcome: 'applied',
    error: null,
    ...over,
  };
}
