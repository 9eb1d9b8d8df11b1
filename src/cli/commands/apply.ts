// `roster apply`: recompute the plan, show it, confirm, write it to Docebo in batches, summarise.
import { openRoster } from '../../compose/open-roster.ts';
import { confirmOnTerminal } from '../confirm.ts';
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
}

export async function applyCommand(flags: ApplyFlags, out: Output, ctx: CommandContext): Promise<number> {
  if (flags.plan !== undefined) return applyReviewedCommand({ ...flags, plan: flags.plan }, out, ctx);
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  const progress = makeProgress(out);
  try {
    const { plan, result, interruptedRuns, guard, restoresNotTaken } = await roster.apply({
      progress: progress.report,
      confirm: async (p) => {
        progress.stop();
        if (!out.json) out.print(renderPlan(p, out.style, { perAccount: flags.all ? Infinity : 25 }));
        if (flags.yes) return true;
        return confirmOnTerminal(out, `Apply these ${p.items.length} changes to Docebo?`);
      },
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
