// Who a person is on both sides: starting from one id, username or email, every contact id, Docebo
// user id and email that the store ties to it.
import { toSalesforceId18 } from '../domain/ids.ts';
import type { PlanItem } from '../domain/plan.ts';
import type { HistoryInput } from './person-history-types.ts';

const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
/** Contact ids compare in their 18-character form; anything else as it is. */
export const normId = (s: string) => toSalesforceId18(s) ?? s;

export class Identity {
  readonly contacts = new Set<string>();
  readonly users = new Set<string>();
  readonly emails = new Set<string>();
  grew = false;

  constructor(query: string) {
    const q = query.trim();
    const sfid = toSalesforceId18(q);
    if (sfid) this.contacts.add(sfid);
    else {
      // Not a Salesforce id: a Docebo user id, a username or an email — whichever the store knows.
      this.users.add(q);
      if (q !== '') this.emails.add(lower(q));
    }
  }

  hasContact = (id: string | null | undefined) => id != null && this.contacts.has(normId(id));
  hasUser = (id: string | null | undefined) => id != null && this.users.has(String(id));
  hasEmail = (s: string | null | undefined) => lower(s) !== '' && this.emails.has(lower(s));

  addContact(id: string | null | undefined) {
    if (id == null || this.hasContact(id)) return;
    this.contacts.add(normId(id));
    this.grew = true;
  }
  addUser(id: string | null | undefined) {
    if (id == null || this.hasUser(id)) return;
    this.users.add(String(id));
    this.grew = true;
  }
  addEmail(s: string | null | undefined) {
    if (lower(s) === '' || this.hasEmail(s)) return;
    this.emails.add(lower(s));
    this.grew = true;
  }
}

/** Whether a plan item is about the person: its contact, user, username or contact email is theirs. */
export const itemNames = (id: Identity, i: PlanItem) =>
  id.hasContact(i.contact.id) ||
  id.hasUser(i.userId) ||
  id.hasEmail(i.username) ||
  id.hasEmail(i.contact.email);

export function resolveIdentity(input: HistoryInput): Identity {
  const id = new Identity(input.query);
  // Links, journal rows, plans and the user cache each tie some ids together; follow them until stable.
  for (let round = 0; round < 10; round++) {
    id.grew = false;
    for (const l of input.links)
      if (id.hasContact(l.contactId) || id.hasUser(l.userId)) {
        id.addContact(l.contactId);
        id.addUser(l.userId);
      }
    for (const e of input.journal)
      if (id.hasContact(e.contactId) || id.hasUser(e.userId) || id.hasEmail(e.username)) {
        id.addContact(e.contactId);
        id.addUser(e.userId);
        id.addEmail(e.username);
      }
    for (const u of input.cachedUsers.users)
      if (id.hasUser(u.id) || id.hasEmail(u.username) || id.hasEmail(u.email)) {
        id.addUser(u.id);
        id.addEmail(u.username);
        id.addEmail(u.email);
      }
    for (const { plan } of input.plans) {
      for (const i of plan.items)
        if (itemNames(id, i)) {
          id.addContact(i.contact.id);
          id.addUser(i.userId);
          id.addEmail(i.username);
          id.addEmail(i.contact.email);
        }
      // Unmatched and ambiguous contacts have no user to follow; only their own email ties them.
      for (const c of [...plan.unmatched, ...plan.ambiguous])
        if (id.hasContact(c.contact.id) || id.hasEmail(c.contact.email)) {
          id.addContact(c.contact.id);
          id.addEmail(c.contact.email);
        }
    }
    if (!id.grew) break;
  }
  return id;
}
