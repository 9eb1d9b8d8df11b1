// Use case: recompute the plan from current facts, let the caller confirm it, then apply it.
import { RosterError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan.ts';
import type { ApplyResult } from '../executor/apply-plan.ts';
import type { RestoreNotTaken } from '../planner/restore-check.ts';
import { executePlan } from './execute-plan.ts';
import { guardPlan, type GuardReport } from './guard-plan.ts';
import { readAndPlan } from './make-plan.ts';
import { settleInterrupted } from './settle-interrupted.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export interface ApplyChangesOptions {
  /** Shown the plan before anything is written; returning false aborts with nothing changed. */
  confirm: (plan: Plan) => Promise<boolean>;
  progress?: ProgressReporter;
  /** serve's observe mode: journal what would be done, write nothing to Docebo. */
  observe?: boolean;
}

export interface ApplyChangesResult {
  /** The changes that went ahead: the guards' held (and rejected) changes are not in it. */
  plan: Plan;
  guard: GuardReport;
  result: ApplyResult | null;
  /** Runs a crashed process left unfinished; their writes were idempotent and this plan covers what remains. */
  interruptedRuns: number;
  /** Earlier restores this run's listing shows did not take (alerted and audited already). */
  restoresNotTaken: RestoreNotTaken[];
}

export async function applyChanges(
  ctx: RosterContext,
  options: ApplyChangesOptions,
): Promise<ApplyChangesResult> {
  const interruptedRuns = await ctx.store.runs.markInterrupted();
  const planned = await readAndPlan(ctx, options.progress);
  await settleInterrupted(ctx, planned.users);
  const { restoresNotTaken } = planned;
  const { plan, guard } = await guardPlan(ctx, planned.plan, { full: true });
  if (plan.items.length === 0) return { plan, guard, result: null, interruptedRuns, restoresNotTaken };
  if (!(await options.confirm(plan)))
    throw new RosterError('ROSTER_ABORTED', 'Apply cancelled: nothing was changed.');
  const result = await executePlan(ctx, plan, {
    guard,
    observe: options.observe ?? false,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  return { plan, guard, result, interruptedRuns, restoresNotTaken };
}
