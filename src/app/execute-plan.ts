// The one way a plan reaches Docebo, shared by apply, reviewed apply, undo, reconciliation and the
// event path: journal → batches → settle (executor/apply-plan.ts), then the approvals the plan used up
// and Roster's cache of Docebo users, so the event path plans against what was just written.
import type { Plan } from '../domain/plan.ts';
import { applyPlan, type ApplyResult } from '../executor/apply-plan.ts';
import { settleApprovals, type GuardReport } from './guard-plan.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export interface ExecuteOptions {
  /** The guards' report for this plan: approvals it used are spent once Docebo confirms them. */
  guard?: GuardReport;
  progress?: ProgressReporter;
  /** serve's observe mode: journal what would be done, write nothing to Docebo. */
  observe?: boolean;
}

export async function executePlan(
  ctx: RosterContext,
  plan: Plan,
  options: ExecuteOptions = {},
): Promise<ApplyResult> {
  const result = await applyPlan(
    plan,
    {
      lms: ctx.lms,
      store: ctx.store,
      clock: ctx.clock,
      newId: () => ctx.newId('run'),
      ...(ctx.fence ? { fence: ctx.fence } : {}),
    },
    {
      batchSize: ctx.settings.batchSize,
      onProgress: (done, total) => options.progress?.('apply', done, total),
      observe: options.observe ?? false,
    },
  );
  if (options.guard) await settleApprovals(ctx, options.guard, result);
  await ctx.store.users.updateAccess(
    result.outcomes.filter((o) => o.ok).map((o) => ({ userId: o.item.userId, state: o.item.after })),
  );
  return result;
}
