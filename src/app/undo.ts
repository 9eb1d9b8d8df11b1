// Use case: `roster undo` — a plan that puts back what Docebo held before Roster's changes in a scope,
// previewed and confirmed like any plan, then applied through the same journaled apply loop (each row
// journaled with action 'undo').
import { isoDateOf } from '../domain/dates.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { AccountRef, ContactRef, Plan } from '../domain/plan.ts';
import { RosterError } from '../domain/errors.ts';
import type { ApplyResult } from '../executor/apply-plan.ts';
import { buildUndoPlan, describeScope, type UndoScope, type UndoSkip } from '../planner/undo-plan.ts';
import { executePlan } from './execute-plan.ts';
import { guardPlan, type GuardReport } from './guard-plan.ts';
import { refreshUserCache } from './refresh-user-cache.ts';
import type { ProgressReporter, RosterContext } from './roster-context.ts';

export type { UndoScope, UndoSkip } from '../planner/undo-plan.ts';

export interface UndoPreview {
  scope: UndoScope;
  /** Saved as a draft; its items carry action 'undo'. */
  plan: Plan;
  /** Users in scope that are left alone, and why. */
  skipped: UndoSkip[];
  /** Applied Roster changes found in the scope. */
  changesInScope: number;
  /** What the blast-radius guards held back (not in `plan`). */
  guard: GuardReport;
}

async function entriesInScope(ctx: RosterContext, scope: UndoScope): Promise<JournalEntry[]> {
  const query =
    'runId' in scope
      ? { runId: scope.runId }
      : 'accountId' in scope
        ? { accountId: scope.accountId }
        : { userId: scope.userId };
  return (await ctx.store.journal.list(query)).filter((e) => e.outcome === 'applied');
}

/** Contact and account names as the original plans showed them (the journal keeps only ids). */
async function itemRefs(
  ctx: RosterContext,
  entries: JournalEntry[],
): Promise<Map<string, { contact: ContactRef; account: AccountRef | null }>> {
  const refs = new Map<string, { contact: ContactRef; account: AccountRef | null }>();
  for (const planId of new Set(entries.map((e) => e.planId))) {
    const stored = await ctx.store.plans.get(planId);
    for (const i of stored?.plan.items ?? []) refs.set(i.key, { contact: i.contact, account: i.account });
  }
  return refs;
}

export async function planUndo(
  ctx: RosterContext,
  scope: UndoScope,
  progress?: ProgressReporter,
): Promise<UndoPreview> {
  const entries = await entriesInScope(ctx, scope);
  const now = ctx.clock.now();
  // A fresh full listing, as `roster plan` reads: an undo must see what Docebo holds now, not a cache.
  const users =
    entries.length === 0
      ? []
      : await refreshUserCache(ctx, (done, total) => progress?.('docebo', done, total));
  const { plan, skipped } = buildUndoPlan({
    id: ctx.newId('plan'),
    createdAt: now.toISOString(),
    today: isoDateOf(now, ctx.settings.timezone),
    mode: ctx.settings.mode,
    scope,
    entries,
    ownership: entries.length === 0 ? [] : await ctx.store.journal.ownership(),
    users,
    refs: await itemRefs(ctx, entries),
  });
  await ctx.store.plans.save(plan, 'draft');
  // Guarded like any plan: an undo that takes access away (undoing a restore) counts against the limits;
  // giving access back is never held. Not `full`: an undo reads no Salesforce population.
  const guarded = await guardPlan(ctx, plan, { full: false });
  return { scope, plan: guarded.plan, guard: guarded.guard, skipped, changesInScope: entries.length };
}

export async function applyUndo(
  ctx: RosterContext,
  preview: UndoPreview,
  progress?: ProgressReporter,
): Promise<ApplyResult | null> {
  const { plan } = preview;
  if (plan.items.length === 0) return null;
  const result = await executePlan(ctx, plan, {
    guard: preview.guard,
    ...(progress ? { progress } : {}),
  });
  await ctx.store.audit.append([
    {
      kind: 'undo',
      ref: describeScope(preview.scope).replace(' ', ':'),
      payload: {
        scope: preview.scope,
        planId: plan.id,
        runId: result.runId,
        applied: result.applied,
        failed: result.failed,
        skipped: preview.skipped,
      },
    },
  ]);
  return result;
}

export interface UndoOptions {
  /** Shown the undo plan (and what is skipped) before anything is written; false aborts. */
  confirm: (preview: UndoPreview) => Promise<boolean>;
  progress?: ProgressReporter;
}

export async function undo(
  ctx: RosterContext,
  scope: UndoScope,
  options: UndoOptions,
): Promise<{ preview: UndoPreview; result: ApplyResult | null }> {
  const preview = await planUndo(ctx, scope, options.progress);
  if (preview.plan.items.length === 0) return { preview, result: null };
  if (!(await options.confirm(preview)))
    throw new RosterError('ROSTER_ABORTED', 'Undo cancelled: nothing was changed.');
  return { preview, result: await applyUndo(ctx, preview, options.progress) };
}
