// `roster undo --run ID | --account SFID | --user ID`: preview a plan that puts back the Docebo state
// from before Roster's changes, confirm, apply it (journaled as 'undo'). Exit codes as `apply`.
import type { UndoPreview, UndoScope } from '../../app/undo.ts';
import { openRoster } from '../../compose/open-roster.ts';
import { accountId, doceboUserId, toSalesforceId18 } from '../../domain/ids.ts';
import { describeScope } from '../../planner/undo-plan.ts';
import { confirmOnTerminal } from '../confirm.ts';
import { writerWait } from '../writer-wait.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderApplyResult } from '../render/render-apply-result.ts';
import { renderPlan } from '../render/render-plan.ts';
import type { Style } from '../render/style.ts';
import { textTable } from '../render/text-table.ts';

export interface UndoFlags {
  config: string;
  run?: string;
  account?: string;
  user?: string;
  yes?: boolean;
  json?: boolean;
  all?: boolean;
  wait?: boolean;
}

export function undoScope(flags: Pick<UndoFlags, 'run' | 'account' | 'user'>): UndoScope | null {
  const given = [flags.run, flags.account, flags.user].filter((v) => v !== undefined && v !== '');
  if (given.length !== 1) return null;
  if (flags.run) return { runId: flags.run };
  if (flags.account) return { accountId: accountId(toSalesforceId18(flags.account) ?? flags.account) };
  return { userId: doceboUserId(flags.user as string) };
}

export function renderUndoPreview(preview: UndoPreview, style: Style, perAccount: number): string {
  const out: string[] = [
    style.bold(`Undo of ${describeScope(preview.scope)}`) +
      style.dim(` · ${preview.changesInScope} applied Roster change(s) in scope`),
  ];
  if (preview.plan.items.length > 0) out.push(renderPlan(preview.plan, style, { perAccount }));
  if (preview.skipped.length > 0) {
    out.push(
      '',
      style.yellow(style.bold(`Left alone — ${preview.skipped.length} user(s)`)),
      ...textTable(
        [{ header: 'DOCEBO USER', max: 36 }, { header: 'WHY' }],
        preview.skipped.slice(0, perAccount).map((s) => [s.username, s.reason]),
      ),
    );
    if (preview.skipped.length > perAccount)
      out.push(style.dim(`  … and ${preview.skipped.length - perAccount} more (use --all or --json)`));
  }
  if (preview.plan.items.length === 0)
    out.push('', style.green(`Nothing to undo in ${describeScope(preview.scope)}.`));
  return out.join('\n');
}

export async function undoCommand(flags: UndoFlags, out: Output, ctx: CommandContext): Promise<number> {
  const scope = undoScope(flags);
  if (!scope) {
    out.note('error: give exactly one of --run ID, --account SFID or --user ID');
    return EXIT.ERROR;
  }
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  const progress = makeProgress(out);
  const perAccount = flags.all ? Infinity : 25;
  try {
    const { preview, result } = await roster.undo(scope, {
      writer: writerWait(flags.wait, out),
      progress: progress.report,
      confirm: async (p) => {
        progress.stop();
        if (!out.json) out.print(renderUndoPreview(p, out.style, perAccount));
        if (flags.yes) return true;
        return confirmOnTerminal(out, `Apply these ${p.plan.items.length} undo changes to Docebo?`);
      },
    });
    progress.stop();
    if (out.json) {
      out.printJson({
        scope,
        plan: preview.plan,
        skipped: preview.skipped,
        held: preview.guard.held,
        run: result && {
          id: result.runId,
          status: result.status,
          applied: result.applied,
          failed: result.failed,
          failures: result.outcomes
            .filter((o) => !o.ok)
            .map((o) => ({ key: o.item.key, username: o.item.username, error: o.error })),
        },
      });
    } else if (!result) {
      out.print(renderUndoPreview(preview, out.style, perAccount));
    } else {
      out.print(renderApplyResult(result, out.style));
    }
    const held = preview.guard.held.length;
    if (held > 0)
      out.note(
        `${held} undo change(s) are held by the guards for approval (roster approve); the rest went ahead.`,
      );
    if (result && result.failed > 0) return EXIT.PARTIAL;
    return held > 0 || preview.guard.blocked ? EXIT.HELD : EXIT.OK;
  } finally {
    progress.stop();
    await roster.close();
  }
}
