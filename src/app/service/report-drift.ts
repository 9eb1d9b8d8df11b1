// Drift: someone gave access back in Docebo to a user Roster had retired, while a rule still holds.
// The plan retires them again (it is the rule that decides); this tells a person it happened, because
// a hand-made reactivation may be a mistake, or a sign that the rule itself is wrong.
import type { NewAuditRecord } from '../../domain/audit.ts';
import { errorData } from '../../domain/errors.ts';
import type { PlanItem } from '../../domain/plan.ts';
import type { ApplyResult } from '../../executor/apply-plan.ts';
import type { Alerter } from '../../ports/alerter.ts';
import type { RosterContext } from '../roster-context.ts';

const MAX_LISTED = 50;

const driftRecord = (item: PlanItem, runId: string, planId: string, ok: boolean): NewAuditRecord => ({
  kind: 'drift',
  ref: `user:${item.userId}`,
  payload: {
    planId,
    runId,
    userId: item.userId,
    username: item.username,
    contactId: item.contact.id,
    accountId: item.account?.id ?? null,
    rules: item.reasons.map((r) => r.rule),
    found: item.before,
    retiredAgainTo: item.after,
    retiredAgain: ok,
  },
});

/** Alerts (and audits, when the store keeps an audit log) the drift items of an applied plan; returns how many. */
export async function reportDrift(
  ctx: RosterContext,
  alerter: Alerter,
  applied: { planId: string; result: ApplyResult | null },
): Promise<number> {
  const { result } = applied;
  const drift = (result?.outcomes ?? []).filter((o) => o.item.drift === true);
  if (!result || drift.length === 0) return 0;
  let auditError: string | undefined;
  // The alert must go out even when the audit log cannot be written; the alert then says so.
  await ctx.store.audit
    .append(drift.map((o) => driftRecord(o.item, result.runId, applied.planId, o.ok)))
    .catch((e: unknown) => {
      auditError = errorData(e).message;
    });
  const users = drift.slice(0, MAX_LISTED).map((o) => ({
    username: o.item.username,
    userId: o.item.userId,
    rules: o.item.reasons.map((r) => r.rule),
    retiredAgain: o.ok,
  }));
  await alerter
    .send({
      kind: 'drift',
      severity: 'warning',
      summary:
        `${drift.length} Docebo user${drift.length === 1 ? ' was' : 's were'} reactivated by hand while a ` +
        `Roster rule still holds; Roster retired them again`,
      details: {
        planId: applied.planId,
        runId: result.runId,
        count: drift.length,
        users,
        ...(auditError ? { auditError } : {}),
      },
      at: ctx.clock.now().toISOString(),
    })
    .catch(() => undefined);
  return drift.length;
}
