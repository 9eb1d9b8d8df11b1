// `roster plan`: what would change in Docebo, and why. Exit 0 = nothing to do, 2 = changes, 1 = error.
import type { SavedPlan } from '../../app/save-reviewed-plan.ts';
import { openRoster } from '../../compose/open-roster.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderPlan } from '../render/render-plan.ts';

export interface PlanFlags {
  config: string;
  json?: boolean;
  all?: boolean;
  /** Keep this plan as the one to review (supersedes older saved plans). */
  save?: boolean;
}

export async function planCommand(flags: PlanFlags, out: Output, ctx: CommandContext): Promise<number> {
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  const progress = makeProgress(out);
  try {
    const saved = flags.save ? await roster.savePlan(progress.report) : null;
    const plan = saved?.plan ?? (await roster.plan(progress.report));
    progress.stop();
    if (out.json) out.printJson(plan);
    else out.print(renderPlan(plan, out.style, { perAccount: flags.all ? Infinity : 25 }));
    // Last, so the id is the first thing the admin sees; on stderr with --json, which keeps stdout data.
    if (saved) (out.json ? out.note : out.print)('\n' + savedMessage(saved, out));
    return plan.items.length === 0 ? EXIT.OK : EXIT.CHANGES;
  } finally {
    progress.stop();
    await roster.close();
  }
}

function savedMessage({ plan, superseded }: SavedPlan, out: Output): string {
  const lines = [
    out.style.bold(
      `Saved plan ${plan.id}. Review with \`roster show plan ${plan.id}\`, apply with \`roster apply --plan ${plan.id}\``,
    ),
  ];
  if (superseded.length > 0)
    lines.push(`Superseded ${superseded.length} older plan(s): ${superseded.join(', ')}`);
  return lines.join('\n');
}
