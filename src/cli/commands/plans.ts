// `roster plans`: the most recent stored plans and their states. Reads only the store.
import { openRecords } from '../../compose/open-roster.ts';
import { RosterError } from '../../domain/errors.ts';
import { PLAN_STATUSES as STATUSES, type PlanStatus } from '../../domain/stored-plan.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { renderPlanList } from '../render/render-stored-plan.ts';

export async function plansCommand(
  flags: { config: string; json?: boolean; status?: string; limit?: string },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const status = flags.status as PlanStatus | undefined;
  if (status !== undefined && !STATUSES.includes(status))
    throw new RosterError('ROSTER_REQUEST_INVALID', `--status must be one of ${STATUSES.join(', ')}`);
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit <= 0)
    throw new RosterError('ROSTER_REQUEST_INVALID', '--limit must be a whole number above 0');
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const plans = await records.listPlans({ status, limit });
    if (out.json)
      out.printJson(
        plans.map(({ plan, status }) => ({
          id: plan.id,
          status,
          createdAt: plan.createdAt,
          today: plan.today,
          mode: plan.mode,
          basis: plan.basis,
          summary: plan.summary,
        })),
      );
    else out.print(renderPlanList(plans, out.style));
    return EXIT.OK;
  } finally {
    await records.close();
  }
}
