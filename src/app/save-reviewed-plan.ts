// Use case: `roster plan --save` — compute a plan, keep it as the one to review and supersede every older
// draft or approved plan, so a stale reviewed plan cannot be applied by accident.
import type { Plan } from '../domain/plan.ts';
import { makePlan } from './make-plan.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export interface SavedPlan {
  plan: Plan;
  /** Ids of the older plans this one superseded. */
  superseded: string[];
}

export async function saveReviewedPlan(ctx: RosterContext, progress?: ProgressReporter): Promise<SavedPlan> {
  const plan = await makePlan(ctx, progress);
  const superseded = await ctx.store.plans.supersede({
    exceptId: plan.id,
    createdAtOrBefore: plan.createdAt,
  });
  return { plan, superseded };
}
