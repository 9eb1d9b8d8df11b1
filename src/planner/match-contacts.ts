// Links each managed contact to at most one Docebo user by the ordered match keys. Ambiguity is
// reported, never guessed: a wrongly linked user would be retired for someone else's departure.
import { factValue, type ContactFacts } from '../domain/crm.ts';
import { toSalesforceId18, type ContactId, type DoceboUserId } from '../domain/ids.ts';
import type { LmsUser } from '../domain/lms.ts';

export interface MatchKey {
  /** `email`, `username` or an additional field `field_N`. */
  docebo: string;
  /** A Contact field path, e.g. `Email` or `Id`. */
  salesforce: string;
}

export interface MatchedContact {
  contact: ContactFacts;
  user: LmsUser;
  matchedOn: string;
}

export interface AmbiguousMatch {
  contact: ContactFacts;
  matchedOn: string;
  value: string;
  candidates: LmsUser[];
  rivals: ContactId[];
}

export interface MatchResult {
  matched: MatchedContact[];
  unmatched: ContactFacts[];
  ambiguous: AmbiguousMatch[];
}

/** Case- and space-insensitive; Salesforce ids compare in their 18-char form whichever form was stored. */
export function normaliseKey(raw: unknown): string | null {
  if (raw === null || raw === undefined || typeof raw === 'boolean') return null;
  const text = String(raw).trim();
  if (text === '') return null;
  return (toSalesforceId18(text) ?? text).toLowerCase();
}

function doceboValue(user: LmsUser, key: string): string | null {
  if (key === 'email') return user.email;
  if (key === 'username') return user.username;
  return user.fields[key] ?? null;
}

function indexUsers(users: LmsUser[], keys: MatchKey[]): Map<string, Map<string, LmsUser[]>> {
  const byKey = new Map<string, Map<string, LmsUser[]>>();
  for (const { docebo } of keys) {
    if (byKey.has(docebo)) continue;
    const index = new Map<string, LmsUser[]>();
    for (const user of users) {
      const value = normaliseKey(doceboValue(user, docebo));
      if (value === null) continue;
      const list = index.get(value);
      if (list) list.push(user);
      else index.set(value, [user]);
    }
    byKey.set(docebo, index);
  }
  return byKey;
}

export function matchContacts(contacts: ContactFacts[], users: LmsUser[], keys: MatchKey[]): MatchResult {
  const indexes = indexUsers(users, keys);
  const tentative: MatchedContact[] = [];
  const unmatched: ContactFacts[] = [];
  const ambiguous: AmbiguousMatch[] = [];

  for (const contact of contacts) {
    let outcome: 'none' | 'done' = 'none';
    for (const key of keys) {
      const value = normaliseKey(factValue(contact, key.salesforce));
      if (value === null) continue;
      const hits = indexes.get(key.docebo)?.get(value) ?? [];
      if (hits.length === 0) continue;
      const first = hits[0];
      if (hits.length === 1 && first) tentative.push({ contact, user: first, matchedOn: key.docebo });
      else ambiguous.push({ contact, matchedOn: key.docebo, value, candidates: hits, rivals: [] });
      outcome = 'done';
      break;
    }
    if (outcome === 'none') unmatched.push(contact);
  }

  // Two contacts claiming one Docebo user (e.g. a duplicate contact with the same email): neither wins.
  const claims = new Map<DoceboUserId, MatchedContact[]>();
  for (const m of tentative) claims.set(m.user.id, [...(claims.get(m.user.id) ?? []), m]);
  const matched: MatchedContact[] = [];
  for (const group of claims.values()) {
    const only = group[0];
    if (group.length === 1 && only) {
      matched.push(only);
      continue;
    }
    for (const m of group) {
      ambiguous.push({
        contact: m.contact,
        matchedOn: m.matchedOn,
        value: normaliseKey(doceboValue(m.user, m.matchedOn)) ?? '',
        candidates: [m.user],
        rivals: group.filter((o) => o !== m).map((o) => o.contact.id),
      });
    }
  }
  return { matched, unmatched, ambiguous };
}
