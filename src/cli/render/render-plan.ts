// The plan as an admin reads it: grouped by account, one line per Docebo user, with the reasons and
// the Salesforce values behind them.
import type { Scalar } from '../../domain/crm.ts';
import { itemAction, type Plan, type PlanItem, type Reason } from '../../domain/plan.ts';
import { RESTORE_RULE, RETIRED_FOR_FACT, retiredFor } from '../../planner/ownership.ts';
import type { Style } from './style.ts';
import { textTable } from './text-table.ts';

const show = (v: Scalar): string => (v === null ? 'empty' : typeof v === 'string' ? v : String(v));

export function describeReason(r: Reason): string {
  const facts = Object.entries(r.facts)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(', ');
  const when =
    r.dateFrom === 'field'
      ? `from ${r.effectiveDate}`
      : `from ${r.effectiveDate} (first seen; no date in Salesforce)`;
  return `${r.rule} ${when}${facts ? ` [${facts}]` : ''}`;
}

/** The WHY column: a retirement's rules, a restore's history, and drift flagged first. */
export function describeItem(i: PlanItem): string {
  const action = itemAction(i);
  if (action === 'undo') {
    const f = i.reasons[0]?.facts ?? {};
    return `undo of ${show(f['undoes'] ?? null)} (Roster's ${show(f['Roster change'] ?? null)} for ${show(f['Roster rules'] ?? null)})`;
  }
  if (action === 'restore') {
    const rules = retiredFor(i.reasons);
    const restore = i.reasons.find((r) => r.rule === RESTORE_RULE);
    const facts = Object.entries(restore?.facts ?? {})
      .filter(([k]) => k !== RETIRED_FOR_FACT)
      .map(([k, v]) => `${k} = ${show(v)}`)
      .join(', ');
    return `${action} (Roster retired them for: ${rules ?? 'unknown'})${facts ? ` [${facts}]` : ''}`;
  }
  const why = i.reasons.map(describeReason).join('; ');
  if (!i.drift) return why;
  const rules = [...new Set(i.reasons.map((r) => r.rule))].join(', ');
  return `drift: reactivated in Docebo while ${rules} holds; ${why}`;
}

function accessChange(i: PlanItem): string {
  const s = (a: boolean) => (a ? 'active' : 'inactive');
  return i.before.active === i.after.active
    ? s(i.after.active)
    : `${s(i.before.active)} → ${s(i.after.active)}`;
}

function expiryChange(i: PlanItem): string {
  const s = (d: string | null) => d ?? '–';
  return i.before.expirationDate === i.after.expirationDate
    ? s(i.after.expirationDate)
    : `${s(i.before.expirationDate)} → ${s(i.after.expirationDate)}`;
}

function groupByAccount(items: PlanItem[]): Map<string, PlanItem[]> {
  const groups = new Map<string, PlanItem[]>();
  for (const i of items) {
    const key = i.account ? `${i.account.name} (${i.account.id})` : '(no account)';
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return groups;
}

export function renderPlan(plan: Plan, style: Style, opts: { perAccount?: number } = {}): string {
  const limit = opts.perAccount ?? Infinity;
  const s = plan.summary;
  const out: string[] = [
    style.bold(`Plan ${plan.id}`) + style.dim(` · today ${plan.today} · mode ${plan.mode}`),
    `Salesforce: ${s.managedContacts} managed contacts · ${s.linked} linked to Docebo users · ${s.unmatched} unmatched · ${s.ambiguous} ambiguous` +
      (s.invalid ? ` · ${s.invalid} with an unreadable date` : ''),
    '',
  ];

  for (const [account, items] of groupByAccount(plan.items)) {
    out.push(style.bold(`${account} — ${items.length} change${items.length === 1 ? '' : 's'}`));
    const shown = items.slice(0, limit);
    const rows = shown.map((i) => [
      i.username,
      i.contact.name,
      accessChange(i),
      expiryChange(i),
      describeItem(i),
    ]);
    out.push(
      ...textTable(
        [
          { header: 'DOCEBO USER', max: 36 },
          { header: 'CONTACT', max: 28 },
          { header: 'ACCESS' },
          { header: 'EXPIRES' },
          { header: 'WHY' },
        ],
        rows,
      ),
    );
    if (items.length > shown.length)
      out.push(style.dim(`  … and ${items.length - shown.length} more (use --all or --json)`));
    out.push('');
  }

  const leaversNotFound = plan.unmatched.filter((u) => u.reasons.length > 0);
  if (leaversNotFound.length > 0) {
    out.push(
      style.red(style.bold(`Should be retired but have no Docebo user to match — ${leaversNotFound.length}`)),
    );
    const rows = leaversNotFound
      .slice(0, limit)
      .map((u) => [
        u.contact.name,
        u.contact.email ?? '–',
        u.account?.name ?? '–',
        u.reasons.map((r) => r.rule).join(', '),
      ]);
    out.push(
      ...textTable(
        [{ header: 'CONTACT' }, { header: 'EMAIL' }, { header: 'ACCOUNT' }, { header: 'RULES' }],
        rows,
      ),
      '',
    );
  }
  const quietUnmatched = plan.unmatched.length - leaversNotFound.length;
  if (quietUnmatched > 0)
    out.push(
      style.dim(`${quietUnmatched} managed contacts have no Docebo user (nothing to do for them).`),
      '',
    );

  if (plan.ambiguous.length > 0) {
    out.push(
      style.yellow(
        style.bold(`Ambiguous — ${plan.ambiguous.length} contact(s), never written until resolved`),
      ),
    );
    const rows = plan.ambiguous
      .slice(0, limit)
      .map((a) => [
        a.contact.name,
        a.account?.name ?? '–',
        `${a.matchedOn} = ${a.value}`,
        a.rivals.length > 0
          ? `another contact matches the same Docebo user (${a.candidates.map((c) => c.username).join(', ')})`
          : `${a.candidates.length} Docebo users: ${a.candidates.map((c) => c.username).join(', ')}`,
      ]);
    out.push(
      ...textTable(
        [{ header: 'CONTACT' }, { header: 'ACCOUNT' }, { header: 'KEY' }, { header: 'PROBLEM' }],
        rows,
      ),
      '',
    );
  }

  const invalid = plan.invalid ?? [];
  if (invalid.length > 0) {
    out.push(
      style.red(
        style.bold(
          `A rule holds but its retireOn date cannot be read — ${invalid.length} contact(s), nothing written until Salesforce holds a date`,
        ),
      ),
    );
    const rows = invalid
      .slice(0, limit)
      .map((c) => [
        c.contact.name,
        c.account?.name ?? '–',
        c.problems.map((p) => `${p.rule}: ${p.field} = ${JSON.stringify(p.value)}`).join('; '),
      ]);
    out.push(
      ...textTable([{ header: 'CONTACT' }, { header: 'ACCOUNT' }, { header: 'NOT A DATE' }], rows),
      '',
    );
  }

  out.push(
    s.changes === 0
      ? style.green('Nothing to do: Docebo already matches Salesforce.')
      : style.bold(
          `${s.changes} change${s.changes === 1 ? '' : 's'} in ${s.accounts} account${s.accounts === 1 ? '' : 's'}: ` +
            `${s.deactivations} deactivation${s.deactivations === 1 ? '' : 's'}, ${s.expirationsSet} expiration date${s.expirationsSet === 1 ? '' : 's'} set` +
            (s.restores ? `, ${s.restores} restore${s.restores === 1 ? '' : 's'}` : '') +
            (s.drift ? ` (${s.drift} re-retired after drift)` : '') +
            '.',
        ),
  );
  return out.join('\n');
}
