// `roster plan`: what would change in Docebo, and why. Exit 0 = nothing to do, 2 = changes, 1 = error.
import { makePlan } from '../../app/make-plan.ts';
import { openRoster } from '../../main.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderPlan } from '../render/render-plan.ts';

export interface PlanFlags {
  config: string;
  json?: boolean;
  all?: boolean;
}

export async function planCommand(flags: PlanFlags, out: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const roster = await openRoster(flags.config, env);
  const progress = makeProgress(out.interactive);
  try {
    const plan = await makePlan(roster.ctx, progress.report);
    progress.stop();
    if (out.json) out.printJson(plan);
    else out.print(renderPlan(plan, out.style, { perAccount: flags.all ? Infinity : 25 }));
    return plan.items.length === 0 ? EXIT.OK : EXIT.CHANGES;
  } finally {
    progress.stop();
    await roster.close();
  }
}
