// The step `plan`, `apply`, reconciliation and the event path share: run the pure planner on the facts
// just read, with what the store remembers (first sightings, Roster's own past changes), then store what
// it learned (links, sightings) and the plan itself as a draft.
import { isoDateOf } from '../domain/dates.ts';
import type { ContactFacts } from '../domain/crm.ts';
import type { LmsUser } from '../domain/lms.ts';
import type { Plan } from '../domain/plan.ts';
import { buildPlan } from '../planner/build-plan.ts';
import type { RosterContext } from './roster-context.ts';

/** `partial`: only some contacts were read (the event path) — links and sightings of others are kept. */
export async function planFromFacts(
  ctx: RosterContext,
  contacts: ContactFacts[],
  users: LmsUser[],
  opts: { partial: boolean },
): Promise<Plan> {
  const { settings, clock, store } = ctx;
  const now = clock.now();
  const out = buildPlan({
    id: ctx.newId('plan'),
    createdAt: now.toISOString(),
    today: isoDateOf(now, settings.timezone),
    mode: settings.mode,
    contacts,
    users,
    matchKeys: settings.matchKeys,
    rules: settings.rules,
    observations: await store.sightings.list(),
    ownership: await store.journal.ownership(),
    partial: opts.partial,
  });
  if (opts.partial) await store.links.upsert(out.links);
  else await store.links.replace(out.links);
  await store.sightings.update(out.observations.add, out.observations.remove);
  await store.plans.save(out.plan, 'draft');
  return out.plan;
}
