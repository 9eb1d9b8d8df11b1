// A full reconciliation inside the service: every in-scope contact against a fresh Docebo listing,
// through the same apply as `roster apply`. It reports what the feeds missed apart from what someone
// changed in Docebo by hand, and alerts when it fails.
import { errorData } from '../../domain/errors.ts';
import { applyChanges } from '../apply-changes.ts';
import type { ReconcileSummary } from '../../ports/reconcile-requests.ts';
import type { RosterContext } from '../roster-context.ts';
import { alertGuards } from './alert-guards.ts';
import type { RoundDeps } from './job-round.ts';
import { reportDrift } from './report-drift.ts';

export interface ReconcileDeps extends RoundDeps {
  /** Full reconciliations read Docebo in the budget's background lane, leaving room for leavers. */
  reconcileCtx: RosterContext;
  observe: boolean;
}

/** Never throws: a failure is logged, alerted and shown in status. Returns how it ended. */
export async function runReconciliation(deps: ReconcileDeps, reason: string): Promise<ReconcileSummary> {
  const { ctx, log, activity } = deps;
  const at = ctx.clock.now().toISOString();
  log.info('reconciliation started', { reason });
  try {
    // What Roster believed of Docebo before this listing tells drift apart from missed events.
    const believed = new Map((await ctx.store.users.list()).users.map((u) => [u.id, u]));
    const { plan, result, guard } = await applyChanges(deps.reconcileCtx, {
      confirm: async () => true,
      observe: deps.observe,
    });
    const driftInDocebo = plan.items.filter((i) => {
      const b = believed.get(i.userId);
      return (
        b !== undefined && (b.active !== i.before.active || b.expirationDate !== i.before.expirationDate)
      );
    }).length;
    const now = ctx.clock.now().toISOString();
    activity.salesforceAnswered(now);
    activity.doceboAnswered(now);
    activity.recordResult(result);
    await alertGuards(deps.alerter, guard, now);
    await reportDrift(ctx, deps.alerter, { planId: plan.id, result });
    activity.lastReconcile = {
      runId: result?.runId ?? null,
      at,
      status: result?.status ?? 'nothing-to-do',
      changes: plan.items.length,
      missedByFeeds: plan.items.length - driftInDocebo,
      driftInDocebo,
    };
    log.info('reconciliation finished', { plan: plan.id, run: result?.runId, ...activity.lastReconcile });
    return {
      runId: result?.runId ?? null,
      status: result?.status ?? 'nothing-to-do',
      changes: plan.items.length,
      applied: result?.applied ?? 0,
      failed: result?.failed ?? 0,
      held: guard.held.length,
    };
  } catch (e) {
    const err = errorData(e);
    activity.lastReconcile = {
      runId: null,
      at,
      status: 'failed',
      changes: 0,
      missedByFeeds: 0,
      driftInDocebo: 0,
    };
    log.error('reconciliation failed', { code: err.code, message: err.message });
    await deps.alerter
      .send({
        kind: 'reconcile-failed',
        severity: 'critical',
        summary: `Roster reconciliation failed: ${err.code}`,
        details: { reason, message: err.message },
        at: ctx.clock.now().toISOString(),
      })
      .catch(() => undefined);
    return { runId: null, status: 'failed', changes: 0, applied: 0, failed: 0, held: 0 };
  }
}
