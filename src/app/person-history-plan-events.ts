// What Salesforce said and Roster decided about the person in each saved plan: one event per decision,
// and per plan where a rule held but there was no single Docebo user to act on.
import { canonicalJson } from '../domain/canonical-json.ts';
import type { StoredPlan } from '../ports/store.ts';
import { itemNames, type Identity } from './person-history-identity.ts';
import type { NotActedEvent, PlannedEvent } from './person-history-types.ts';

export function plannedEvents(id: Identity, plans: StoredPlan[]): (PlannedEvent | NotActedEvent)[] {
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
