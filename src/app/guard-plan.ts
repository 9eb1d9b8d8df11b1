// Use case step between planning and applying: the blast-radius guards (src/planner/guards.ts) with
// their stored inputs — decisions people made, the last full run's population — and their outputs:
// held changes recorded for approval, the source baseline moved on, approvals used up once written.
import type { HeldChange, NewHeldChange } from '../domain/held-change.ts';
import type { Plan } from '../domain/plan.ts';
import type { ApplyResult } from '../executor/apply-plan.ts';
import { applyGuards } from '../planner/guards.ts';
import type { RosterContext } from './roster-context.ts';

export interface GuardReport {
  /** Everything the guards hold back this time (also changes held in an earlier run). */
  held: NewHeldChange[];
  /** Changes held for the first time: alert about these, once. */
  newlyHeld: HeldChange[];
  /** Changes a person rejected, planned again with the same facts: skipped. */
  rejected: number;
  /** The source looked empty or partial: no retirement went out. */
  blocked: null | { reason: string; retirements: number };
  approvedUsed: { id: number; itemKey: string }[];
}

export const NO_GUARD_REPORT: GuardReport = {
  held: [],
  newlyHeld: [],
  rejected: 0,
  blocked: null,
  approvedUsed: [],
};

/**
 * `full`: the plan saw every in-scope contact (apply, reconciliation): the source guard applies, the
 * baseline moves on and waiting changes no longer held are dropped. The event path reads only some
 * contacts, so it is not full.
 */
export async function guardPlan(
  ctx: RosterContext,
  plan: Plan,
  opts: { full: boolean },
): Promise<{ plan: Plan; guard: GuardReport }> {
  const limits = ctx.settings.guards;
  if (!limits) return { plan, guard: NO_GUARD_REPORT };
  const { store } = ctx;
  const decisions =
    plan.items.length > 0 ? await store.approvals.decisionsFor(plan.items.map((i) => i.key)) : [];
  const managedUsers = opts.full ? plan.summary.linked : (await store.links.list()).length;
  const out = applyGuards(plan, {
    limits,
    managedContacts: opts.full ? plan.summary.managedContacts : null,
    lastManagedContacts: opts.full ? await store.approvals.getLastManagedCount() : null,
    managedUsers,
    decisions: decisions.filter((d) => d.status !== 'applied'),
  });
  if (opts.full && !out.blocked) await store.approvals.setLastManagedCount(plan.summary.managedContacts);
  // A blocked run says nothing about which changes wait: the facts behind them are suspect.
  const newlyHeld = out.blocked
    ? []
    : await store.approvals.recordHeld(out.held, {
        at: ctx.clock.now().toISOString(),
        replaceWaiting: opts.full,
      });
  return {
    plan: out.plan,
    guard: {
      held: out.held,
      newlyHeld,
      rejected: out.rejected.length,
      blocked: out.blocked,
      approvedUsed: out.approvedUsed,
    },
  };
}

/** Approvals whose changes Docebo confirmed are used up; a failed one stays approved for the retry. */
export async function settleApprovals(
  ctx: RosterContext,
  guard: GuardReport,
  result: ApplyResult | null,
): Promise<void> {
  if (!result || guard.approvedUsed.length === 0) return;
  const written = new Set(result.outcomes.filter((o) => o.ok).map((o) => o.item.key));
  const ids = guard.approvedUsed.filter((a) => written.has(a.itemKey)).map((a) => a.id);
  if (ids.length > 0) await ctx.store.approvals.markApplied(ids);
}
