// `roster apply --plan ID`: apply a stored, reviewed plan exactly as it is, or refuse if anything behind
// it moved (ROSTER_PLAN_STALE, nothing written). Changes that appeared since are named, not applied.
import { openRoster } from '../../compose/open-roster.ts';
import type { PlanItem } from '../../domain/plan.ts';
import { confirmOnTerminal } from '../confirm.ts';
import { writerWait } from '../writer-wait.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderApplyResult } from '../render/render-apply-result.ts';
import { renderPlan } from '../render/render-plan.ts';

export interface ApplyReviewedFlags {
  config: string;
  plan: string;
  yes?: boolean;
  json?: boolean;
  all?: boolean;
  wait?: boolean;
}

const newSince = (added: PlanItem[]): string =>
  `${added.length} change(s) new since the plan are not applied (never reviewed): ` +
  `${added.map((i) => i.username).join(', ')}; run roster plan again.`;

export async function applyReviewedCommand(
  flags: ApplyReviewedFlags,
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  const progress = makeProgress(out);
  try {
    const { plan, result, added, interruptedRuns } = await roster.applyReviewed({
      writer: writerWait(flags.wait, out),
      planId: flags.plan,
      progress: progress.report,
      confirm: async (p, fresh) => {
        progress.stop();
        if (!out.json) out.print(renderPlan(p, out.style, { perAccount: flags.all ? Infinity : 25 }));
        if (fresh.length > 0) out.note(newSince(fresh));
        if (flags.yes) return true;
        return confirmOnTerminal(out, `Apply these ${p.items.length} reviewed changes to Docebo?`);
      },
    });
    progress.stop();
    if (interruptedRuns > 0)
      out.note(`Note: ${interruptedRuns} earlier run(s) were interrupted; their journal rows are settled.`);
    if (plan.items.length === 0 && added.length > 0) out.note(newSince(added));
    if (out.json) {
      out.printJson({
        plan,
        run: {
          id: result.runId,
          status: result.status,
          applied: result.applied,
          failed: result.failed,
          failures: result.outcomes
            .filter((o) => !o.ok)
            .map((o) => ({ key: o.item.key, username: o.item.username, error: o.error })),
        },
        newSincePlan: added.map((i) => ({ key: i.key, userId: i.userId, username: i.username })),
      });
    } else if (plan.items.length === 0) {
      out.print(`Plan ${plan.id} had nothing to change; it is now marked applied.`);
    } else {
      out.print(renderApplyResult(result, out.style));
    }
    return result.failed > 0 ? EXIT.PARTIAL : EXIT.OK;
  } finally {
    progress.stop();
    await roster.close();
  }
}
