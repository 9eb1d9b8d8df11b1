// Leavers first: when the budget runs short, the people who must lose access today go before those
// whose expiration date merely needs setting, and restores (giving access back) come last of all.
import { isDeactivation, itemAction, type PlanItem } from '../domain/plan.ts';

export function executionOrder(items: PlanItem[]): PlanItem[] {
  const rank = (i: PlanItem): number => (itemAction(i) !== 'retire' ? 2 : isDeactivation(i) ? 0 : 1);
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || (a.after.expirationDate ?? '').localeCompare(b.after.expirationDate ?? ''),
  );
}

export function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
