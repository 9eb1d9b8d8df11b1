// Fingerprints of the facts a plan was based on, so that a stored plan can tell they moved.
import { createHash } from 'node:crypto';
import type { ContactFacts } from '../domain/crm.ts';
import type { LmsUser } from '../domain/lms.ts';

function digest(lines: string[]): string {
  const hash = createHash('sha256');
  for (const line of lines.sort()) hash.update(line).update('\n');
  return hash.digest('hex').slice(0, 32);
}

export function crmDigest(contacts: ContactFacts[]): string {
  return digest(
    contacts.map((c) => JSON.stringify([c.id, c.accountId, c.fields, c.account?.fields ?? null])),
  );
}

export function lmsDigest(users: LmsUser[]): string {
  return digest(
    users.map((u) => JSON.stringify([u.id, u.username, u.email, u.active, u.expirationDate, u.fields])),
  );
}
