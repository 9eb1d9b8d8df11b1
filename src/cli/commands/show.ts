// `roster show plan ID`: a stored plan with its status and what it was based on. Reads only the store.
import { openRecords } from '../../compose/open-roster.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { renderStoredPlan, storedPlanJson } from '../render/render-stored-plan.ts';

export async function showPlanCommand(
  id: string,
  flags: { config: string; json?: boolean; all?: boolean },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const stored = await records.getPlan(id);
    if (out.json) out.printJson(storedPlanJson(stored));
    else out.print(renderStoredPlan(stored, out.style, { perAccount: flags.all ? Infinity : 25 }));
    return EXIT.OK;
  } finally {
    await records.close();
  }
}
