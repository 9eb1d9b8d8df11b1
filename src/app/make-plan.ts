// Use case: read both sides, compute the plan, and remember links and first sightings. Writes nothing to Docebo.
import { planFromFacts } from './plan-from-facts.ts';
import type { LmsUser } from '../domain/lms.ts';
import type { Plan } from '../domain/plan.ts';
import type { RestoreNotTaken } from '../planner/restore-check.ts';
import { listAndCheck } from './refresh-user-cache.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export async function makePlan(ctx: RosterContext, progress?: ProgressReporter): Promise<Plan> {
  return (await readAndPlan(ctx, progress)).plan;
}

/**
 * The plan, the Docebo users it was computed from (to settle interrupted journal entries), and the
 * restores that listing shows did not take (already alerted and audited; check-restores.ts).
 */
export async function readAndPlan(
  ctx: RosterContext,
  progress?: ProgressReporter,
): Promise<{ plan: Plan; users: LmsUser[]; restoresNotTaken: RestoreNotTaken[] }> {
  const contacts = await ctx.crm.fetchContacts(ctx.settings.query, (done, total) =>
    progress?.('salesforce', done, total),
  );
  const { users, restoresNotTaken } = await listAndCheck(ctx, (done, total) =>
    progress?.('docebo', done, total),
  );
  return { plan: await planFromFacts(ctx, contacts, users, { partial: false }), users, restoresNotTaken };
}
