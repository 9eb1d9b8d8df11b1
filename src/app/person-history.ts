// One person's story from Roster's own store: who they are on both sides (links), what Salesforce said
// and what Roster decided (saved plans), what it wrote to Docebo and when (the journal), and what else
// the audit log records about them (approvals, rejections, undo, drift). No Salesforce or Docebo call.
import { canonicalJson, type AuditRecord } from '../domain/audit.ts';
import { toSalesforceId18 } from '../domain/ids.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { Link } from '../domain/link.ts';
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { AccountRef, ContactRef, PlanItem, Reason } from '../domain/plan.ts';
import type { Store, StoredPlan } from '../ports/store.ts';

/** How many of the most recent stored plans the story reads (every `plan` run stores one). */
export const HISTORY_PLAN_LIMIT = 500;

export interface PlannedEvent {
  type: 'planned';
  at: string;
  planId: string;
  planStatus: string;
  today: string;
  userId: string;
  username: string;
  contact: ContactRef;
  account: AccountRef | null;
  action: string;
  drift: boolean;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  /** Consecutive plans that decided exactly the same are shown once: how many, and the last one. */
  repeats: number;
  lastAt: string;
  lastPlanId: string;
}

/** Salesforce said a rule holds, but Roster found no Docebo user (or more than one) to act on. */
export interface NotActedEvent {
  type: 'unmatched' | 'ambiguous';
  at: string;
  planId: string;
  contact: ContactRef;
  account: AccountRef | null;
  reasons: Reason[];
  detail: string;
}

export interface WroteEvent {
  type: 'wrote';
  at: string;
  journalId: number;
  runId: string;
  planId: string;
  userId: string;
  username: string;
  contactId: string;
  accountId: string | null;
  action: string;
  before: AccessState;
  after: AccessState;
  reasons: Reason[];
  outcome: string;
  error: { code: string; message: string } | null;
}

export interface AuditEvent {
  type: 'audit';
  at: string;
  seq: number;
  kind: string;
  ref: string;
  payload: unknown;
  /** Why it belongs here: it names the person, or a plan or account their changes were part of. */
  via: 'person' | 'plan' | 'account';
}

export type HistoryEvent = PlannedEvent | NotActedEvent | WroteEvent | AuditEvent;

export interface PersonHistory {
  query: string;
  found: boolean;
  contactIds: string[];
  userIds: string[];
  names: string[];
  emails: string[];
  links: Link[];
  /** Docebo as the user cache last saw it. */
  docebo: { user: LmsUser; cachedAt: string | null }[];
  events: HistoryEvent[];
}

export interface HistoryInput {
  query: string;
  links: Link[];
  journal: JournalEntry[];
  plans: StoredPlan[];
  audit: AuditRecord[];
  cachedUsers: { users: LmsUser[]; refreshedAt: string | null };
}

const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
/** Contact ids compare in their 18-character form; anything else as it is. */
const normId = (s: string) => toSalesforceId18(s) ?? s;

class Identity {
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

const itemNames = (id: Identity, i: PlanItem) =>
  id.hasContact(i.contact.id) ||
  id.hasUser(i.userId) ||
  id.hasEmail(i.username) ||
  id.hasEmail(i.contact.email);

function resolve(input: HistoryInput): Identity {
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

/** Every string or number inside a value (ids in payloads may be either). */
function scalars(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) scalars(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) scalars(v, out);
  return out;
}

function plannedEvents(id: Identity, plans: StoredPlan[]): (PlannedEvent | NotActedEvent)[] {
  const events: (PlannedEvent | NotActedEvent)[] = [];
  const ordered = [...plans].sort((a, b) => a.plan.createdAt.localeCompare(b.plan.createdAt));
  const lastByUser = new Map<string, PlannedEvent>();
  for (const { plan, status } of ordered) {
    const seen = new Set<string>();
    for (const i of plan.items) {
      if (!itemNames(id, i)) continue;
      seen.add(i.userId);
      const decision = canonicalJson([i.action ?? 'retire', i.before, i.after, i.reasons, i.drift ?? false]);
      const last = lastByUser.get(i.userId);
      if (
        last &&
        canonicalJson([last.action, last.before, last.after, last.reasons, last.drift]) === decision
      ) {
        last.repeats += 1;
        last.lastAt = plan.createdAt;
        last.lastPlanId = plan.id;
        continue;
      }
      const event: PlannedEvent = {
        type: 'planned',
        at: plan.createdAt,
        planId: plan.id,
        planStatus: status,
        today: plan.today,
        userId: i.userId,
        username: i.username,
        contact: i.contact,
        account: i.account,
        action: i.action ?? 'retire',
        drift: i.drift ?? false,
        before: i.before,
        after: i.after,
        reasons: i.reasons,
        repeats: 1,
        lastAt: plan.createdAt,
        lastPlanId: plan.id,
      };
      lastByUser.set(i.userId, event);
      events.push(event);
    }
    // A plan without the user breaks a run of identical decisions.
    for (const user of [...lastByUser.keys()]) if (!seen.has(user)) lastByUser.delete(user);
    for (const u of plan.unmatched)
      if (id.hasContact(u.contact.id) && u.reasons.length > 0)
        events.push({
          type: 'unmatched',
          at: plan.createdAt,
          planId: plan.id,
          contact: u.contact,
          account: u.account,
          reasons: u.reasons,
          detail: 'no Docebo user matches this contact',
        });
    for (const a of plan.ambiguous)
      if (id.hasContact(a.contact.id))
        events.push({
          type: 'ambiguous',
          at: plan.createdAt,
          planId: plan.id,
          contact: a.contact,
          account: a.account,
          reasons: a.reasons,
          detail: `${a.matchedOn} ${a.value} matches ${a.candidates.map((c) => `${c.userId} (${c.username})`).join(', ')}`,
        });
  }
  return events;
}

export function buildPersonHistory(input: HistoryInput): PersonHistory {
  const id = resolve(input);
  const journal = input.journal.filter(
    (e) => id.hasContact(e.contactId) || id.hasUser(e.userId) || id.hasEmail(e.username),
  );
  const links = input.links.filter((l) => id.hasContact(l.contactId) || id.hasUser(l.userId));
  const docebo = input.cachedUsers.users
    .filter((u) => id.hasUser(u.id))
    .map((user) => ({ user, cachedAt: input.cachedUsers.refreshedAt }));
  const planned = plannedEvents(id, input.plans);
  // Only users and contacts that something in the store actually mentions count as found.
  const users = new Set<string>([
    ...journal.map((e) => e.userId),
    ...links.map((l) => l.userId),
    ...docebo.map((d) => d.user.id),
  ]);
  for (const p of planned) if (p.type === 'planned') users.add(p.userId);
  const contacts = new Set<string>(
    [...journal.map((e) => e.contactId), ...links.map((l) => l.contactId)].map(normId),
  );
  for (const p of planned) contacts.add(normId(p.contact.id));

  const names = new Set<string>();
  for (const p of planned) names.add(p.contact.name);
  const planIds = new Set([...journal.map((e) => e.planId), ...planned.map((p) => p.planId)]);
  const accountIds = new Set<string>();
  for (const e of journal) if (e.accountId) accountIds.add(normId(e.accountId));
  for (const p of planned) if (p.account) accountIds.add(normId(p.account.id));

  const audit: AuditEvent[] = [];
  for (const r of input.audit) {
    if (r.kind === 'journal' || r.kind === 'settle') continue;
    const values = [...r.ref.split(/[\s,:;/]+/), ...scalars(r.payload)];
    const mentions = (test: (v: string) => boolean) => values.some(test);
    let via: AuditEvent['via'] | null = null;
    if (mentions((v) => users.has(v) || contacts.has(normId(v)) || id.hasEmail(v))) via = 'person';
    else if (mentions((v) => planIds.has(v))) via = 'plan';
    else if (mentions((v) => accountIds.has(normId(v)))) via = 'account';
    if (via)
      audit.push({ type: 'audit', at: r.at, seq: r.seq, kind: r.kind, ref: r.ref, payload: r.payload, via });
  }

  const wrote: WroteEvent[] = journal.map((e) => ({
    type: 'wrote',
    at: e.at,
    journalId: e.id,
    runId: e.runId,
    planId: e.planId,
    userId: e.userId,
    username: e.username,
    contactId: e.contactId,
    accountId: e.accountId,
    action: (e as { action?: string }).action ?? 'retire',
    before: e.before,
    after: e.after,
    reasons: e.reasons,
    outcome: e.outcome,
    error: e.error ? { code: e.error.code, message: e.error.message } : null,
  }));
  const rank: Record<HistoryEvent['type'], number> = {
    planned: 0,
    unmatched: 0,
    ambiguous: 0,
    audit: 1,
    wrote: 2,
  };
  const events = [...planned, ...audit, ...wrote].sort(
    (a, b) => a.at.localeCompare(b.at) || rank[a.type] - rank[b.type],
  );
  return {
    query: input.query,
    found: users.size > 0 || contacts.size > 0 || events.length > 0,
    contactIds: [...contacts].sort(),
    userIds: [...users].sort(),
    names: [...names].sort(),
    emails: [...id.emails].filter((e) => e.includes('@')).sort(),
    links,
    docebo,
    events,
  };
}

/** Reads what the story needs from the store and tells it. */
export async function loadPersonHistory(store: Store, query: string): Promise<PersonHistory> {
  const [links, journal, plans, audit, cachedUsers] = await Promise.all([
    store.links.list(),
    store.journal.list({}),
    store.plans.list({ limit: HISTORY_PLAN_LIMIT }),
    store.audit.list({}),
    store.users.list(),
  ]);
  return buildPersonHistory({ query, links, journal, plans, audit, cachedUsers });
}
