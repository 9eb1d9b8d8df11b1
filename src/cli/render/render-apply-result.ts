import type { ApplyResult } from '../../executor/apply-plan.ts';
import type { Style } from './style.ts';
import { textTable } from './text-table.ts';

export function renderApplyResult(result: ApplyResult, style: Style): string {
  const out: string[] = [''];
  const failures = result.outcomes.filter((o) => !o.ok);
  if (failures.length > 0) {
    out.push(style.red(style.bold(`Failed — ${failures.length}`)));
    out.push(
      ...textTable(
        [{ header: 'DOCEBO USER', max: 36 }, { header: 'ACCOUNT', max: 28 }, { header: 'ERROR' }],
        failures.map((f) => [
          f.item.username,
          f.item.account?.name ?? '–',
          `${f.error?.code}: ${f.error?.message}`,
        ]),
      ),
      '',
    );
  }
  const line = `Run ${result.runId}: ${result.applied} applied, ${result.failed} failed. Every change is in the journal.`;
  out.push(
    failures.length > 0
      ? style.red(line) + '\nRun `roster apply` again to retry the failed changes.'
      : style.green(line),
  );
  return out.join('\n');
}
