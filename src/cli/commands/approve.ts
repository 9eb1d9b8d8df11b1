// `roster approve` / `roster reject`: decide changes the guards held, per plan or per company, recorded
// with who and when (and in the audit log). Approved changes go out on the next `roster apply` — or
// within seconds under `roster serve`, which finds the company queued again — if their facts are
// unchanged; changed facts are planned, guarded and held afresh.
import { userInfo } from 'node:os';
import { RosterError } from '../../domain/errors.ts';
import type { Decision, DecisionScope } from '../../domain/held-change.ts';
import { openRecords } from '../../compose/open-roster.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { renderHeld } from '../render/render-held.ts';

export interface DecideFlags {
  config: string;
  plan?: string;
  account?: string;
  by?: string;
  json?: boolean;
  /** approve only: accept that Salesforce now manages fewer contacts (forget the source baseline). */
  source?: boolean;
}

function osUser(env: CommandContext['env']): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

export const approveCommand = (flags: DecideFlags, out: Output, ctx: CommandContext) =>
  decideCommand('approved', flags, out, ctx);
export const rejectCommand = (flags: DecideFlags, out: Output, ctx: CommandContext) =>
  decideCommand('rejected', flags, out, ctx);

async function decideCommand(
  decision: Decision,
  flags: DecideFlags,
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const verb = decision === 'approved' ? 'approve' : 'reject';
  const chosen = [flags.plan, flags.account, flags.source ? true : undefined].filter((x) => x !== undefined);
  if (chosen.length > 1)
    throw new RosterError(
      'ROSTER_REQUEST_INVALID',
      `roster ${verb}: give one of --plan, --account${decision === 'approved' ? ' or --source' : ''}.`,
    );
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const by = flags.by?.trim() || osUser(ctx.env);
    if (flags.source && decision === 'approved') {
      const { previous: last, at } = await records.forgetSourceBaseline(by);
      if (out.json) out.printJson({ decision, source: true, previousBaseline: last, by, at });
      else
        out.print(
          `Source baseline forgotten (was ${last ?? 'unset'} managed contacts) by ${by}: the next apply takes Salesforce's count as the new baseline.`,
        );
      return EXIT.OK;
    }
    if (chosen.length === 0) {
      const waiting = await records.listHeld();
      if (out.json) out.printJson({ held: waiting });
      else
        out.print(
          waiting.length === 0
            ? 'Nothing is held for approval.'
            : `${renderHeld(waiting, out.style)}\nGive --account SFID or --plan ID to ${verb}.`,
        );
      return EXIT.ERROR;
    }
    const scope: DecisionScope =
      flags.plan !== undefined ? { planId: flags.plan } : { accountId: flags.account as string };
    const { decided, queued, at } = await records.decide(scope, { decision, by });
    const what = scope.planId !== undefined ? `plan ${scope.planId}` : `account ${scope.accountId}`;
    if (out.json)
      out.printJson({ decision, ...scope, by, at, count: decided.length, queued, changes: decided });
    else if (decided.length === 0) out.print(`Nothing is held for ${what}: nothing to ${verb}.`);
    else {
      const names = [...new Set(decided.map((h) => h.accountName ?? h.username))];
      out.print(
        `${decision === 'approved' ? 'Approved' : 'Rejected'} ${decided.length} held change(s) for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''} (${what}) by ${by} at ${at}.`,
      );
      out.print(
        decision === 'approved'
          ? 'They go out on the next `roster apply` (or within seconds under `roster serve`) if their facts are unchanged.'
          : 'They will not be applied while their facts stay the same.',
      );
    }
    return decided.length === 0 ? EXIT.ERROR : EXIT.OK;
  } finally {
    await records.close();
  }
}
