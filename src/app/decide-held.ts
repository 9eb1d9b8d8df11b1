// Use case: a person approves or rejects held changes, per plan or per company (CLI and admin API).
// Approved companies are queued again, so a running `roster serve` re-plans them within seconds; the
// approval applies only while their facts are unchanged (src/planner/guards.ts).
import type { Decision, DecisionScope, HeldChange } from '../domain/held-change.ts';
import { toSalesforceId18 } from '../domain/ids.ts';
import type { DirtyKey } from '../domain/work.ts';
import type { Store } from '../ports/store.ts';

export interface DecideResult {
  decided: HeldChange[];
  /** Accounts and contacts queued for the service to re-plan. */
  queued: number;
}

/** An account id as people paste it (15 or 18 characters) in the 18-character form the store keeps. */
export function normaliseScope(scope: DecisionScope): DecisionScope {
  if (scope.accountId === undefined) return scope;
  return { accountId: toSalesforceId18(scope.accountId) ?? scope.accountId.trim() };
}

export async function decideHeld(
  store: Store,
  scope: DecisionScope,
  decision: { decision: Decision; by: string; at: string },
): Promise<DecideResult> {
  const decided = await store.approvals.decide(normaliseScope(scope), decision);
  if (decision.decision !== 'approved' || decided.length === 0) return { decided, queued: 0 };
  const keys = new Map<string, DirtyKey>();
  for (const h of decided) {
    const key: DirtyKey = h.accountId
      ? { kind: 'account', id: h.accountId, source: 'admin' }
      : { kind: 'contact', id: h.contactId, source: 'admin' };
    keys.set(`${key.kind}:${key.id}`, key);
  }
  await store.queue.enqueue({ keys: [...keys.values()] }, decision.at);
  return { decided, queued: keys.size };
}
