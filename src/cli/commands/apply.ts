// `roster apply`: recompute the plan, show it, confirm, write it to Docebo in batches, summarise.
import { hostname } from 'node:os';
import type { ProgressReporter } from '../../app/roster-context.ts';
import { describeHolder } from '../../app/writer-lease.ts';
import { openRoster, type Roster } from '../../compose/open-roster.ts';
import type { Plan } from '../../domain/plan.ts';
import type { Lease } from '../../ports/lease-store.ts';
import { confirmOnTerminal } from '../confirm.ts';
import { writerWait } from '../writer-wait.ts';
import { applyReviewedCommand } from './apply-reviewed.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderApplyResult } from '../render/render-apply-result.ts';
import { renderGuardReport } from '../render/render-held.ts';
import { renderPlan } from '../render/render-plan.ts';
import { renderRestoresNotTaken } from '../render/render-restores-not-taken.ts';

export interface ApplyFlags {
  config: string;
  yes?: boolean;
  json?: boolean;
  all?: boolean;
  /** Apply this stored, reviewed plan exactly (src/cli/commands/apply-reviewed.ts). */
  plan?: string;
  /** Wait for another process's writer lease instead of refusing. */
  wait?: boolean;
}

export async function applyCommand(flags: ApplyFlags, out: Output, ctx: CommandContext): Promise<number> {
  if (flags.plan !== undefined) return applyReviewedCommand({ ...flags, plan: flags.plan }, out, ctx);
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  const progress = makeProgress(out);
  const confirm = async (p: Plan) => {
    progress.stop();
    if (!out.json) out.print(renderPlan(p, out.style, { perAccount: flags.all ? Infinity : 25 }));
    if (flags.yes) return true;
    return confirmOnTerminal(out, `Apply these ${p.items.length} changes to Docebo?`);
  };
  try {
    const handedTo = flags.wait ? null : await runningService(roster);
    if (handedTo) return await handOver(roster, handedTo, confirm, progress.report, out);
    const { plan, result, interruptedRuns, guard, restoresNotTaken } = await roster.apply({
      writer: writerWait(flags.wait, out),
      progress: progress.report,
      confirm,
    });
    progress.stop();
    if (interruptedRuns > 0)
      out.note(`Note: ${interruptedRuns} earlier run(s) were interrupted; this run completes their work.`);
    if (restoresNotTaken.length > 0) out.note(renderRestoresNotTaken(restoresNotTaken, out.style));
    if (out.json) {
      out.printJson({
        plan,
        run: result && {
          id: result.runId,
          status: result.status,
          applied: result.applied,
          failed: result.failed,
          failures: result.outcomes
            .filter((o) => !o.ok)
            .map((o) => ({ key: o.item.key, username: o.item.username, error: o.error })),
        },
        held: guard.held,
        blocked: guard.blocked,
        rejected: guard.rejected,
        restoresNotTaken: restoresNotTaken.map((r) => ({
          userId: r.record.userId,
          username: r.record.username,
          runId: r.record.runId,
          restoredTo: r.record.after,
          found: r.found,
        })),
      });
    } else if (!result) {
      out.print(renderPlan(plan, out.style));
    } else {
      out.print(renderApplyResult(result, out.style));
    }
    const guarded = renderGuardReport(guard, out.style);
    if (guarded && !out.json) out.print('\n' + guarded);
    if (result && result.failed > 0) return EXIT.PARTIAL;
    return guard.held.length > 0 || guard.blocked ? EXIT.HELD : EXIT.OK;
  } finally {
    progress.stop();
    await roster.close();
  }
}

/** The active `roster serve` holding the writer lease, if one does: then it does the writing. */
async function runningService(roster: Roster): Promise<Lease | null> {
  const holder = await roster.writerHolder();
  return holder && holder.role === 'serve' && holder.expiresAt > roster.now().toISOString() ? holder : null;
}

async function handOver(
  roster: Roster,
  service: Lease,
  confirm: (plan: Plan) => Promise<boolean>,
  progress: ProgressReporter,
  out: Output,
): Promise<number> {
  out.note(
    `${describeHolder(service)} writes to Docebo: this apply is handed to it (its next reconciliation applies this plan; --wait to wait for the lease instead).`,
  );
  let said = '';
  const { plan, summary } = await roster.applyThroughService({
    by: `roster apply on ${hostname()} (pid ${process.pid})`,
    confirm,
    progress,
    onWaiting: (status) => {
      if (status !== said)
        out.note(
          status === 'waiting' ? 'Waiting for roster serve to pick it up…' : 'roster serve is applying it…',
        );
      said = status;
    },
  });
  if (out.json) out.printJson({ plan, handedTo: describeHolder(service), run: summary });
  else if (!summary) out.print(renderPlan(plan, out.style));
  else
    out.print(
      `roster serve's reconciliation ${summary.runId ?? ''} ended ${summary.status}: ${summary.changes} change(s), ${summary.applied} applied, ${summary.failed} failed, ${summary.held} held for approval.`,
    );
  if (!summary) return EXIT.OK;
  if (summary.status === 'failed' && summary.applied === 0) return EXIT.ERROR;
  if (summary.failed > 0) return EXIT.PARTIAL;
  return summary.held > 0 ? EXIT.HELD : EXIT.OK;
}
