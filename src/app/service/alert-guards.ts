// Tells a person that changes wait for their approval (once per new hold) or that the source guard
// stopped every retirement. Never throws: the service carries on with everything else.
import type { Alerter } from '../../ports/alerter.ts';
import type { GuardReport } from '../guard-plan.ts';

/** "ACME Corporation: 312 (maxPerAccount)", biggest first, for a one-line summary. */
export function describeHeld(
  held: readonly { accountId: string | null; accountName: string | null; guard: string }[],
): string[] {
  const groups = new Map<string, { name: string; count: number; guard: string }>();
  for (const h of held) {
    const key = h.accountId ?? '';
    const g = groups.get(key) ?? { name: h.accountName ?? 'no account', count: 0, guard: h.guard };
    g.count += 1;
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .map((g) => `${g.name}: ${g.count} (${g.guard})`);
}

export async function alertGuards(alerter: Alerter, guard: GuardReport, at: string): Promise<void> {
  if (guard.blocked)
    await alerter
      .send({
        kind: 'source-blocked',
        severity: 'critical',
        summary: `Roster retired nobody: ${guard.blocked.reason}`,
        details: { retirementsStopped: guard.blocked.retirements, reason: guard.blocked.reason },
        at,
      })
      .catch(() => undefined);
  if (guard.newlyHeld.length > 0) {
    const groups = describeHeld(guard.newlyHeld);
    await alerter
      .send({
        kind: 'held-for-approval',
        severity: 'warning',
        summary: `${guard.newlyHeld.length} retirement(s) held for approval — ${groups.slice(0, 3).join('; ')}${groups.length > 3 ? '; …' : ''}`,
        details: {
          held: guard.newlyHeld.length,
          accounts: groups,
          planId: guard.newlyHeld[0]?.planId,
          approve: 'roster approve --account <id> | --plan <id>, or POST /admin/approve',
        },
        at,
      })
      .catch(() => undefined);
  }
}
