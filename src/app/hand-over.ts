// Use case: `roster apply` next to a running `roster serve`. Two writers would race on Docebo, so the
// apply does not write: it shows the plan, asks the active service (through the store) for a full
// reconciliation — the same plan from the same facts, applied with the same guards — and waits for
// how it ended.
import { RosterError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan.ts';
import type { ReconcileSummary } from '../ports/reconcile-requests.ts';
import { makePlan } from './make-plan.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export interface HandOverOptions {
  /** Who asks, as the service will record it. */
  by: string;
  /** Shown the plan before anything is asked of the service; false aborts. */
  confirm: (plan: Plan) => Promise<boolean>;
  progress?: ProgressReporter;
  /** Told about once a second while the service has not finished. */
  onWaiting?: (status: 'waiting' | 'running', seconds: number) => void;
  /** Gives up when the service has not picked the request up by then; default 2 min. */
  pickUpWithinMs?: number;
}

export interface HandOverResult {
  plan: Plan;
  /** null when the plan was empty: nothing was asked of the service. */
  summary: ReconcileSummary | null;
}

export async function applyThroughService(
  ctx: RosterContext,
  options: HandOverOptions,
): Promise<HandOverResult> {
  const plan = await makePlan(ctx, options.progress);
  if (plan.items.length === 0) return { plan, summary: null };
  if (!(await options.confirm(plan)))
    throw new RosterError('ROSTER_ABORTED', 'Apply cancelled: nothing was asked of roster serve.');
  const { store, clock } = ctx;
  const id = ctx.newId('request');
  const askedAt = clock.now().getTime();
  await store.requests.add({ id, by: options.by, at: clock.now().toISOString() });
  const pickUpWithin = options.pickUpWithinMs ?? 120_000;
  for (;;) {
    const request = await store.requests.get(id);
    if (request?.status === 'done' && request.result) return { plan, summary: request.result };
    const seconds = Math.round((clock.now().getTime() - askedAt) / 1000);
    if (request?.status === 'waiting' && seconds * 1000 >= pickUpWithin)
      throw new RosterError(
        'ROSTER_SERVICE_UNREACHABLE',
        `roster serve holds the writer lease but did not pick up this apply within ${seconds} s; the request stays queued for it (roster status shows the service).`,
        { details: { requestId: id } },
      );
    options.onWaiting?.(request?.status === 'running' ? 'running' : 'waiting', seconds);
    await new Promise<void>((resolve) => clock.setTimer(1000, resolve));
  }
}
