// Use case: read both sides, compute the plan, and remember links and first sightings. Writes nothing to Docebo.
import { isoDateOf } from '../domain/dates.ts';
import type { LmsUser } from '../domain/lms.ts';
import type { Plan } from '../domain/plan.ts';
import { buildPlan } from '../planner/build-plan.ts';
import { refreshUserCache } from './refresh-user-cache.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export async function makePlan(ctx: RosterContext, progress?: ProgressReporter): Promise<Plan> {
  return (await readAndPlan(ctx, progress)).plan;
}

/** The plan, and the Docebo users it was computed from (to settle interrupted journal entries). */
export async function readAndPlan(
  ctx: RosterContext,
  progress?: ProgressReporter,
): Promise<{ plan: Plan; users: LmsUser[] }> {
  const { settings, clock, store } = ctx;
  const now = clock.now();
  const contacts = await ctx.crm.fetchContacts(settings.query, (done, total) =>
    progress?.('salesforce', done, total),
  );
  const users = await refreshUserCache(ctx, (done, total) => progress?.('docebo', done, total));
  const observations = await store.listRuleObservations();

  const out = buildPlan({
    id: ctx.newId('plan'),
    createdAt: now.toISOString(),
    today: isoDateOf(now, settings.timezone),
    mode: settings.mode,
    contacts,
    users,
    matchKeys: settings.matchKeys,
    rules: settings.rules,
    observations,
    ownership: await store.listOwnership(),
  });
  await store.replaceLinks(out.links);
  await store.updateRuleObservations(out.observations.add, out.observations.remove);
  await store.savePlan(out.plan, 'draft');
  return { plan: out.plan, users };
}
