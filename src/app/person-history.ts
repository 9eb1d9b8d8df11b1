// One person's story from Roster's own store: who they are on both sides (links), what Salesforce said
// and what Roster decided (saved plans), what it wrote to Docebo and when (the journal), and what else
// the audit log records about them (approvals, rejections, undo, drift). No Salesforce or Docebo call.
// The story is assembled here from who the person is (person-history-identity.ts) and what the saved
// plans decided about them (person-history-plan-events.ts).
import type { Store } from '../ports/store.ts';
import { normId, resolveIdentity } from './person-history-identity.ts';
import { plannedEvents } from './person-history-plan-events.ts';
import type {
  AuditEvent,
  HistoryEvent,
  HistoryInput,
  PersonHistory,
  WroteEvent,
} from './person-history-types.ts';

export type {
  AuditEvent,
  HistoryEvent,
  HistoryInput,
  NotActedEvent,
  PersonHistory,
  PlannedEvent,
  WroteEvent,
} from './person-history-types.ts';

/** How many of the most recent stored plans the story reads (every `plan` run stores one). */
export const HISTORY_PLAN_LIMIT = 500;

/** Every string or number inside a value (ids in payloads may be either). */
function scalars(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) scalars(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) scalars(v, out);
  return out;
}

export function buildPersonHistory(input: HistoryInput): PersonHistory {
  const id = resolveIdentity(input);
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
