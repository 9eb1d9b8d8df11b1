// The heart of Roster: Salesforce facts + Docebo users + rules + today → the changes to make, and why.
import type { ContactFacts } from '../domain/crm.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ContactId } from '../domain/ids.ts';
import type { LmsUser } from '../domain/lms.ts';
import type { Link, RuleObservation } from '../domain/link.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import {
  PLAN_FORMAT_VERSION,
  isDeactivation,
  itemAction,
  setsExpiration,
  type AccountRef,
  type ContactRef,
  type InvalidContact,
  type Plan,
  type PlanItem,
  type Reason,
  type RetireMode,
} from '../domain/plan.ts';
import { desiredAccess, sameAccess } from './desired-access.ts';
import { matchContacts, type MatchKey } from './match-contacts.ts';
import { indexOwnership } from './ownership.ts';
import { crmDigest, lmsDigest } from './plan-digest.ts';
import { indexObservations, observationKey, reasonsFor, type RuleSpec } from './reasons.ts';
import { isDrift, restoreFor } from './restore.ts';

export interface PlanInput {
  id: string;
  createdAt: string;
  today: IsoDate;
  mode: RetireMode;
  contacts: ContactFacts[];
  users: LmsUser[];
  matchKeys: MatchKey[];
  rules: RuleSpec[];
  observations: RuleObservation[];
  /** Only some contacts were read (the event path): forget sightings only for those. */
  partial?: boolean;
  /** Roster's latest applied change per user (from the journal): enables restores and drift reports. */
  ownership?: OwnershipRecord[];
}

export interface PlanOutput {
  plan: Plan;
  links: Link[];
  /** First sightings to record and sightings to forget, so that "first seen" dates survive between runs. */
  observations: { add: RuleObservation[]; remove: { contactId: ContactId; rule: string }[] };
}

const contactRef = (c: ContactFacts): ContactRef => ({ id: c.id, name: c.name, email: c.email });
const accountRef = (c: ContactFacts): AccountRef | null =>
  c.account ? { id: c.account.id, name: c.account.name } : null;

// Groups by account in the printed plan, leavers of a company together, then by person.
function byAccountThenContact(a: PlanItem, b: PlanItem): number {
  const an = a.account?.name ?? '\uffff';
  const bn = b.account?.name ?? '\uffff';
  return an.localeCompare(bn) || a.contact.name.localeCompare(b.contact.name) || a.key.localeCompare(b.key);
}

export function buildPlan(input: PlanInput): PlanOutput {
  const { today } = input;
  const seen = indexObservations(input.observations);
  const reasons = new Map<ContactId, Reason[]>();
  // Rules that hold, whether or not their date could be read: what "first seen" observations follow.
  const holding = new Map<ContactId, Set<string>>();
  const invalid: InvalidContact[] = [];
  const add: RuleObservation[] = [];
  for (const contact of input.contacts) {
    const found = reasonsFor(contact, input.rules, seen, today);
    reasons.set(contact.id, found.reasons);
    const rules = new Set([...found.reasons.map((r) => r.rule), ...found.problems.map((p) => p.rule)]);
    holding.set(contact.id, rules);
    for (const rule of rules) {
      if (!seen.has(observationKey(contact.id, rule)))
        add.push({ contactId: contact.id, rule, firstSeen: today });
    }
    // Nothing is written for them until Salesforce holds a date: no retirement from a guessed date,
    // and no restore either (a rule holds).
    if (found.problems.length > 0)
      invalid.push({ contact: contactRef(contact), account: accountRef(contact), problems: found.problems });
  }
  const invalidIds = new Set(invalid.map((i) => i.contact.id));
  const remove = input.observations
    .filter((o) => !input.partial || holding.has(o.contactId))
    .filter((o) => !(holding.get(o.contactId)?.has(o.rule) ?? false))
    .map((o) => ({ contactId: o.contactId, rule: o.rule }));

  const match = matchContacts(input.contacts, input.users, input.matchKeys);
  const items: PlanItem[] = [];
  const owners = indexOwnership(input.ownership ?? []);
  for (const { contact, user } of match.matched) {
    if (invalidIds.has(contact.id)) continue;
    const why = reasons.get(contact.id) ?? [];
    const before = { active: user.active, expirationDate: user.expirationDate };
    const owned = owners.get(user.id);
    const restore = restoreFor(contact, before, why, owned, today);
    const after = restore?.after ?? desiredAccess(before, why, input.mode, today);
    if (sameAccess(before, after)) continue;
    items.push({
      key: `${contact.id}:${user.id}`,
      userId: user.id,
      username: user.username,
      contact: contactRef(contact),
      account: accountRef(contact),
      before,
      after,
      reasons: restore?.reasons ?? why,
      action: restore ? 'restore' : 'retire',
      ...(isDrift(before, why, owned) ? { drift: true } : {}),
    });
  }
  items.sort(byAccountThenContact);

  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    id: input.id,
    createdAt: input.createdAt,
    today,
    mode: input.mode,
    basis: { crmDigest: crmDigest(input.contacts), lmsDigest: lmsDigest(input.users) },
    summary: {
      changes: items.length,
      deactivations: items.filter(isDeactivation).length,
      expirationsSet: items.filter((i) => itemAction(i) === 'retire' && setsExpiration(i)).length,
      restores: items.filter((i) => itemAction(i) === 'restore').length,
      drift: items.filter((i) => i.drift === true).length,
      accounts: new Set(items.map((i) => i.account?.id ?? '')).size,
      managedContacts: input.contacts.length,
      linked: match.matched.length,
      unmatched: match.unmatched.length,
      ambiguous: match.ambiguous.length,
      invalid: invalid.length,
    },
    items,
    unmatched: match.unmatched.map((c) => ({
      contact: contactRef(c),
      account: accountRef(c),
      reasons: reasons.get(c.id) ?? [],
    })),
    ambiguous: match.ambiguous.map((a) => ({
      contact: contactRef(a.contact),
      account: accountRef(a.contact),
      matchedOn: a.matchedOn,
      value: a.value,
      candidates: a.candidates.map((u) => ({ userId: u.id, username: u.username })),
      rivals: a.rivals,
      reasons: reasons.get(a.contact.id) ?? [],
    })),
    invalid,
  };
  const links: Link[] = match.matched.map((m) => ({
    contactId: m.contact.id,
    userId: m.user.id,
    matchedOn: m.matchedOn,
    linkedAt: input.createdAt,
  }));
  return { plan, links, observations: { add, remove } };
}
