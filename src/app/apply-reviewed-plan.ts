// Use case: `roster apply --plan ID` — apply exactly the items of a stored, reviewed plan, and only if
// nothing behind any of them moved. Salesforce and Docebo are read again and a fresh plan is computed;
// each stored item must be exactly what the fresh plan holds under the same key. Otherwise nothing is
// written and ROSTER_PLAN_STALE names every item that moved. Changes that appeared after the plan was
// made were never reviewed, so they are reported and left for the next plan.
import { RosterError } from '../domain/errors.ts';
import type { Plan, PlanItem } from '../domain/plan.ts';
import type { ApplyResult } from '../executor/apply-plan.ts';
import { executePlan } from './execute-plan.ts';
import { planStaleness, type MovedItem } from '../planner/plan-staleness.ts';
import type { PlanStatus } from '../ports/store.ts';
import { readAndPlan } from './make-plan.ts';
import { settleInterrupted } from './settle-interrupted.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export interface ApplyReviewedPlanOptions {
  planId: string;
  /** Shown the stored plan (and what is new since) before anything is written; false aborts. */
  confirm: (plan: Plan, added: PlanItem[]) => Promise<boolean>;
  progress?: ProgressReporter;
}

export interface ApplyReviewedPlanResult {
  /** The stored plan, applied exactly as reviewed. */
  plan: Plan;
  result: ApplyResult;
  /** Changes Roster would make now that the stored plan does not contain: not applied. */
  added: PlanItem[];
  /** The plan computed from current facts for the comparison (stored as a draft). */
  freshPlanId: string;
  interruptedRuns: number;
}

const APPLICABLE: readonly PlanStatus[] = ['draft', 'approved'];

/** Refuses plans that are finished, running or superseded, with a message that says what to do. */
export function assertApplicable(planId: string, status: PlanStatus): void {
  if (APPLICABLE.includes(status)) return;
  const why =
    status === 'superseded'
      ? 'was superseded by a newer saved plan'
      : status === 'applying'
        ? 'is being applied right now'
        : `was already applied (${status})`;
  throw new RosterError(
    'ROSTER_STORE_CONFLICT',
    `Plan ${planId} ${why}; only a draft or approved plan can be applied. Run \`roster plan --save\` for a fresh one.`,
    { details: { planId, status } },
  );
}

const CAUSE_WORDS: Record<MovedItem['causes'][number], string> = {
  'salesforce-facts': 'Salesforce facts',
  'docebo-state': 'Docebo state',
  'desired-state': 'desired state',
};

export function staleError(planId: string, moved: MovedItem[], added: PlanItem[]): RosterError {
  const lines = moved.map(
    (m) => `  - ${m.username}: ${m.causes.map((c) => CAUSE_WORDS[c]).join(', ')} (${m.details.join('; ')})`,
  );
  if (added.length > 0)
    lines.push(
      `  and ${added.length} change(s) new since the plan (${added.map((i) => i.username).join(', ')}); run roster plan again`,
    );
  return new RosterError(
    'ROSTER_PLAN_STALE',
    `Plan ${planId} is stale: ${moved.length} item(s) moved since it was made; nothing was written.\n${lines.join('\n')}`,
    {
      details: {
        planId,
        moved: moved.map((m) => ({
          key: m.key,
          userId: m.userId,
          username: m.username,
          causes: m.causes,
          fields: m.fields,
          details: m.details,
        })),
        newSincePlan: added.map((i) => ({ key: i.key, userId: i.userId, username: i.username })),
      },
    },
  );
}

export async function applyReviewedPlan(
  ctx: RosterContext,
  options: ApplyReviewedPlanOptions,
): Promise<ApplyReviewedPlanResult> {
  const { store } = ctx;
  const stored = await store.plans.get(options.planId);
  if (!stored)
    throw new RosterError('ROSTER_PLAN_NOT_FOUND', `No stored plan ${options.planId}.`, {
      details: { planId: options.planId },
    });
  assertApplicable(options.planId, stored.status);

  const interruptedRuns = await store.runs.markInterrupted();
  const { plan: fresh, users } = await readAndPlan(ctx, options.progress);
  await settleInterrupted(ctx, users);
  const { moved, added } = planStaleness(stored.plan, fresh, users);
  if (moved.length > 0) throw staleError(stored.plan.id, moved, added);

  const base = { plan: stored.plan, added, freshPlanId: fresh.id, interruptedRuns };
  if (stored.plan.items.length > 0 && !(await options.confirm(stored.plan, added)))
    throw new RosterError('ROSTER_ABORTED', 'Apply cancelled: nothing was changed.');
  // It may have been superseded (or started by someone else) while Salesforce and Docebo were read.
  const now = await store.plans.get(stored.plan.id);
  assertApplicable(stored.plan.id, now?.status ?? stored.status);

  // A reviewed plan is itself the approval of its exact items: no guard report to settle.
  const result = await executePlan(ctx, stored.plan, options.progress ? { progress: options.progress } : {});
  return { ...base, result };
}
