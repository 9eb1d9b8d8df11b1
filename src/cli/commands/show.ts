// `roster show plan ID`: a stored plan with its status and what it was based on. Reads only the store.
import { openStore } from '../../adapters/store/open-store.ts';
import { loadConfig } from '../../config/load-config.ts';
import { RosterError } from '../../domain/errors.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { Output } from '../output.ts';
import { renderStoredPlan, storedPlanJson } from '../render/render-stored-plan.ts';

export async function showPlanCommand(
  id: string,
  flags: { config: string; json?: boolean; all?: boolean },
  out: Output,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = await loadConfig({ path: flags.config, env, cwd: process.cwd() });
  const store = await openStore(config.store);
  try {
    const stored = await store.plans.get(id);
    if (!stored)
      throw new RosterError('ROSTER_PLAN_NOT_FOUND', `No stored plan ${id}.`, { details: { planId: id } });
    if (out.json) out.printJson(storedPlanJson(stored));
    else out.print(renderStoredPlan(stored, out.style, { perAccount: flags.all ? Infinity : 25 }));
    return EXIT.OK;
  } finally {
    await store.close();
  }
}
