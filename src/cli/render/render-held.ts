// The "Held for approval" section `roster apply` and `roster held` print: one line per company (or
// leaver without one), why it waits, and the command that lets it through.
import type { GuardReport } from '../../app/guard-plan.ts';
import type { NewHeldChange } from '../../domain/held-change.ts';
import type { Style } from './style.ts';

interface Group {
  accountId: string | null;
  name: string;
  reason: string;
  planId: string;
  count: number;
}

function groups(held: readonly NewHeldChange[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const h of held) {
    const key = h.accountId ?? `contact:${h.itemKey}`;
    const g = byKey.get(key) ?? {
      accountId: h.accountId,
      name: h.accountName ?? h.username,
      reason: h.reason,
      planId: h.planId,
      count: 0,
    };
    g.count += 1;
    byKey.set(key, g);
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

export function renderHeld(held: readonly NewHeldChange[], style: Style): string {
  if (held.length === 0) return '';
  const lines = [
    style.bold(style.yellow(`Held for approval (${held.length} retirements, nothing written for them):`)),
  ];
  for (const g of groups(held)) {
    const approve = g.accountId
      ? `roster approve --account ${g.accountId}`
      : `roster approve --plan ${g.planId}`;
    const what = g.accountId ? `${g.count} retirement${g.count === 1 ? '' : 's'}` : 'leaver';
    lines.push(`  ${g.name}: ${what} — ${g.reason}; approve with \`${approve}\``);
  }
  const plans = [...new Set(held.map((h) => h.planId))];
  lines.push(
    style.dim(
      `  Approve all: \`roster approve --plan ${plans.join(' / ')}\` · refuse: \`roster reject --account ID | --plan ID\`. ` +
        'Approved changes go out on the next apply if their facts are unchanged.',
    ),
  );
  return lines.join('\n');
}

export function renderGuardReport(guard: GuardReport, style: Style): string {
  const parts: string[] = [];
  if (guard.blocked)
    parts.push(
      style.bold(
        style.red(
          `Blocked by minSourceShare: no retirement was made (${guard.blocked.retirements} stopped).`,
        ),
      ) +
        `\n  ${guard.blocked.reason}.` +
        '\n  If Salesforce really manages fewer people now, accept the new count with `roster approve --source` and apply again.',
    );
  const held = renderHeld(guard.held, style);
  if (held) parts.push(held);
  if (guard.rejected > 0)
    parts.push(style.dim(`${guard.rejected} change(s) skipped: rejected earlier with the same facts.`));
  return parts.join('\n\n');
}
