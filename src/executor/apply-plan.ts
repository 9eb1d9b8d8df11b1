// The one apply loop: sends a plan's changes in batches and keeps going past per-row failures. Every row
// is journaled `pending` before its batch is sent and settled when Docebo answers, so a crash leaves a
// trace that the next apply resolves (src/app/settle-interrupted.ts). Writes are idempotent. Rows whose
// answer could not be read are settled against one fresh listing at the end (settle-unconfirmed.ts).
import type { RosterErrorData } from '../domain/errors.ts';
import type { NewJournalEntry, RunStatus } from '../domain/journal.ts';
import type { LmsChange } from '../domain/lms.ts';
import { itemAction, type Plan, type PlanItem } from '../domain/plan.ts';
import type { Clock } from '../ports/clock.ts';
import type { LmsTarget } from '../ports/lms-target.ts';
import type { PlanStatus, Store } from '../ports/store.ts';
import { chunk, executionOrder } from './execution-order.ts';
import { settleUnconfirmed, type Unconfirmed } from './settle-unconfirmed.ts';
import { writeInBatches } from './write-batches.ts';

export interface ApplyDeps {
  lms: LmsTarget;
  store: Pick<Store, 'plans' | 'runs' | 'journal'>;
  clock: Clock;
  newId: () => string;
  /** Checked before every batch: throws when this process may no longer write (the writer lease). */
  fence?: () => Promise<void>;
}

export interface ApplyOptions {
  batchSize: number;
  onProgress?: (done: number, total: number) => void;
  /** serve's observe mode: journal every change as `observed` and send nothing to Docebo. */
  observe?: boolean;
}

export interface ItemOutcome {
  item: PlanItem;
  ok: boolean;
  error: RosterErrorData | null;
}

export interface ApplyResult {
  runId: string;
  status: RunStatus;
  applied: number;
  failed: number;
  outcomes: ItemOutcome[];
  /** Changes journaled `observed` (observe mode); nothing was written, so there are no outcomes. */
  observed?: number;
  /**
   * Changes Docebo answered with a 2xx that could not be read, settled against a listing after the run;
   * those it could not list are still `pending` in the journal (`leftPending`).
   */
  unconfirmed?: { checked: number; leftPending: number };
}

const NO_RESULT: RosterErrorData = {
  code: 'ROSTER_INTERNAL',
  message: 'no outcome for this row',
  retryable: true,
};

const toChange = (i: PlanItem): LmsChange => ({
  userId: i.userId,
  username: i.username,
  before: i.before,
  after: i.after,
});

export async function applyPlan(plan: Plan, deps: ApplyDeps, options: ApplyOptions): Promise<ApplyResult> {
  const { store, clock } = deps;
  const runId = deps.newId();
  // Claim the plan first: a second apply of the same plan is refused before it leaves a run behind.
  if (!options.observe) await store.plans.setStatus(plan.id, 'applying');
  await store.runs.start({
    id: runId,
    kind: 'apply',
    status: 'running',
    startedAt: clock.now().toISOString(),
    finishedAt: null,
    planId: plan.id,
    summary: { changes: plan.items.length },
  });
  if (options.observe) return observePlan(plan, runId, deps, options);

  const outcomes: ItemOutcome[] = [];
  const unconfirmed: Unconfirmed[] = [];
  const ordered = executionOrder(plan.items);
  options.onProgress?.(0, ordered.length);
  await writeInBatches(deps.lms, ordered, toChange, options.batchSize, {
    // Write-ahead: the journal knows what is about to be sent before Docebo does.
    before: async (batch) => {
      // A process that lost the writer lease stops here, before anything of this batch is journaled.
      await deps.fence?.();
      await store.journal.append(
        batch.map((item) => journalEntry(runId, plan.id, item, clock.now().toISOString())),
      );
    },
    after: async (batch, written) => {
      const at = clock.now().toISOString();
      const settled = batch.flatMap((item, i) => {
        const w = written[i];
        if (w?.ok === false && w.unconfirmed) {
          // Docebo may have taken it: it stays pending until Docebo's state says (below).
          unconfirmed.push({ item, error: w.error });
          return [];
        }
        // sendBatch answers every row; a missing one would be a bug, never a success.
        const error: RosterErrorData | null = w === undefined ? NO_RESULT : w.ok ? null : w.error;
        outcomes.push({ item, ok: error === null, error });
        return [
          { runId, itemKey: item.key, outcome: error === null ? 'applied' : 'failed', error, at } as const,
        ];
      });
      await store.journal.settle(settled);
      options.onProgress?.(outcomes.length, ordered.length);
    },
  });
  const checked = await settleUnconfirmed(unconfirmed, {
    lms: deps.lms,
    journal: store.journal,
    clock,
    runId,
  });
  outcomes.push(...checked.outcomes);
  if (unconfirmed.length > 0) options.onProgress?.(outcomes.length, ordered.length);

  const applied = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - applied;
  const status: RunStatus = failed === 0 ? 'succeeded' : applied === 0 ? 'failed' : 'partially-failed';
  const planStatus: PlanStatus = failed === 0 ? 'applied' : applied === 0 ? 'failed' : 'partially-applied';
  const summary = {
    changes: outcomes.length,
    applied,
    failed,
    ...(unconfirmed.length > 0 ? { unconfirmed: unconfirmed.length, leftPending: checked.leftPending } : {}),
  };
  await store.runs.finish(runId, status, summary);
  await store.plans.setStatus(plan.id, planStatus);
  return {
    runId,
    status,
    applied,
    failed,
    outcomes,
    ...(unconfirmed.length > 0
      ? { unconfirmed: { checked: unconfirmed.length, leftPending: checked.leftPending } }
      : {}),
  };
}

function journalEntry(runId: string, planId: string, item: PlanItem, at: string): NewJournalEntry {
  return {
    runId,
    planId,
    itemKey: item.key,
    at,
    userId: item.userId,
    username: item.username,
    contactId: item.contact.id,
    accountId: item.account?.id ?? null,
    before: item.before,
    after: item.after,
    reasons: item.reasons,
    action: itemAction(item),
    outcome: 'pending',
    error: null,
  };
}

// Observe mode: the journal says what would have been done; Docebo is not called and the plan stays
// a draft, because nothing of it was applied.
async function observePlan(
  plan: Plan,
  runId: string,
  deps: ApplyDeps,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const ordered = executionOrder(plan.items);
  options.onProgress?.(0, ordered.length);
  let done = 0;
  for (const batch of chunk(ordered, options.batchSize)) {
    const at = deps.clock.now().toISOString();
    await deps.store.journal.append(
      batch.map((item) => ({ ...journalEntry(runId, plan.id, item, at), outcome: 'observed' as const })),
    );
    done += batch.length;
    options.onProgress?.(done, ordered.length);
  }
  await deps.store.runs.finish(runId, 'succeeded', { changes: ordered.length, observed: ordered.length });
  return { runId, status: 'succeeded', applied: 0, failed: 0, outcomes: [], observed: ordered.length };
}
