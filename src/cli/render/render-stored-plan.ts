// A stored plan as `roster show plan` and `roster plans` print it: its status and what it was based on,
// then the plan itself.
import type { Plan } from '../../domain/plan.ts';
import type { PlanStatus, StoredPlan } from '../../domain/stored-plan.ts';
import { renderPlan } from './render-plan.ts';
import type { Style } from './style.ts';
import { textTable } from './text-table.ts';

const NEXT_STEP: Record<PlanStatus, string> = {
  draft: 'apply it with `roster apply --plan ID`',
  approved: 'apply it with `roster apply --plan ID`',
  applying: 'it is being applied',
  applied: 'it was applied; nothing more to do',
  'partially-applied': 'some changes failed; run `roster plan --save` for a fresh plan',
  failed: 'its changes failed; run `roster plan --save` for a fresh plan',
  superseded: 'a newer saved plan replaced it; it cannot be applied',
};

function colourStatus(status: PlanStatus, style: Style): string {
  if (status === 'applied') return style.green(status);
  if (status === 'failed' || status === 'partially-applied') return style.red(status);
  if (status === 'superseded') return style.dim(status);
  return style.yellow(status);
}

export function renderStoredPlan(
  { plan, status }: StoredPlan,
  style: Style,
  opts: { perAccount?: number } = {},
): string {
  return [
    `${style.bold('Status')}   ${colourStatus(status, style)} — ${NEXT_STEP[status].replace('ID', plan.id)}`,
    `${style.bold('Created')}  ${plan.createdAt}`,
    `${style.bold('Basis')}    Salesforce ${plan.basis.crmDigest} · Docebo ${plan.basis.lmsDigest}`,
    '',
    renderPlan(plan, style, opts),
  ].join('\n');
}

/** One line per plan for `roster plans`. */
export function renderPlanList(plans: StoredPlan[], style: Style): string {
  if (plans.length === 0) return 'No stored plans. Make one with `roster plan --save`.';
  const changes = (p: Plan) => String(p.summary.changes);
  return textTable(
    [
      { header: 'ID' },
      { header: 'STATUS' },
      { header: 'CREATED' },
      { header: 'TODAY' },
      { header: 'CHANGES' },
      { header: 'ACCOUNTS' },
    ],
    plans.map(({ plan, status }) => [
      plan.id,
      colourStatus(status, style),
      plan.createdAt,
      plan.today,
      changes(plan),
      String(plan.summary.accounts),
    ]),
  ).join('\n');
}

/** A plan as data for --json: the plan plus its status. */
export const storedPlanJson = ({ plan, status }: StoredPlan) => ({ status, ...plan });
