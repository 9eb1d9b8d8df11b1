// What the CLI asks of Roster when Salesforce and Docebo are involved: plan, save a plan for review,
// apply (fresh or reviewed), undo, and check the connections. Built once over a RosterContext.
import type { Plan } from '../domain/plan.ts';
import type { ApplyResult } from '../executor/apply-plan.ts';
import type { AccessCheck } from '../ports/access-check.ts';
import type { Lease } from '../ports/lease-store.ts';
import { applyChanges, type ApplyChangesOptions, type ApplyChangesResult } from './apply-changes.ts';
import {
  applyReviewedPlan,
  type ApplyReviewedPlanOptions,
  type ApplyReviewedPlanResult,
} from './apply-reviewed-plan.ts';
import { applyThroughService, type HandOverOptions, type HandOverResult } from './hand-over.ts';
import { makePlan } from './make-plan.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';
import { saveReviewedPlan, type SavedPlan } from './save-reviewed-plan.ts';
import { undo, type UndoOptions, type UndoPreview, type UndoScope } from './undo.ts';
import type { WaitOptions, WriterLease } from './writer-lease.ts';

/** How a writing command deals with another process holding the writer lease. */
export interface WriterOptions {
  /** Wait for it (with `onWaiting` told who holds it) instead of refusing with ROSTER_WRITER_BUSY. */
  writer?: WaitOptions;
}

export interface RosterUseCases {
  /** Roster's "now" (ROSTER_NOW moves it for rehearsals). */
  now(): Date;
  plan(progress?: ProgressReporter): Promise<Plan>;
  savePlan(progress?: ProgressReporter): Promise<SavedPlan>;
  apply(options: ApplyChangesOptions & WriterOptions): Promise<ApplyChangesResult>;
  /** Who holds the writer lease now, if anyone (a running `roster serve`, another apply). */
  writerHolder(): Promise<Lease | null>;
  /** Next to a running `roster serve`: the service applies, this waits for how it ended. */
  applyThroughService(options: HandOverOptions): Promise<HandOverResult>;
  applyReviewed(options: ApplyReviewedPlanOptions & WriterOptions): Promise<ApplyReviewedPlanResult>;
  undo(
    scope: UndoScope,
    options: UndoOptions & WriterOptions,
  ): Promise<{ preview: UndoPreview; result: ApplyResult | null }>;
  /** Salesforce's and Docebo's checks; an unreachable system is one failed check, not a throw. */
  checkConnections(): Promise<AccessCheck[]>;
}

async function section(name: string, run: () => Promise<AccessCheck[]>): Promise<AccessCheck[]> {
  try {
    return await run();
  } catch (e) {
    return [{ name: `${name} reachable`, ok: false, detail: e instanceof Error ? e.message : String(e) }];
  }
}

/**
 * `writer(role)` gives the lease a writing command holds from before it reads anything until it is done
 * (so a run another process left unfinished is settled only once that process's lease ran out).
 */
export function rosterUseCases(ctx: RosterContext, writer: (role: string) => WriterLease): RosterUseCases {
  const holding = async <T>(role: string, options: WriterOptions, work: () => Promise<T>): Promise<T> => {
    const lease = writer(role);
    await lease.acquireOrWait(options.writer ?? { wait: false });
    try {
      return await work();
    } finally {
      await lease.release();
    }
  };
  return {
    now: () => ctx.clock.now(),
    plan: (progress) => makePlan(ctx, progress),
    savePlan: (progress) => saveReviewedPlan(ctx, progress),
    apply: (options) => holding('apply', options, () => applyChanges(ctx, options)),
    applyThroughService: (options) => applyThroughService(ctx, options),
    writerHolder: () => writer('apply').holder(),
    applyReviewed: (options) => holding('apply', options, () => applyReviewedPlan(ctx, options)),
    undo: (scope, options) => holding('undo', options, () => undo(ctx, scope, options)),
    checkConnections: async () => [
      ...(await section('Salesforce', () => ctx.crm.checkAccess(ctx.settings.query))),
      ...(await section('Docebo', () => ctx.lms.checkAccess())),
    ],
  };
}
