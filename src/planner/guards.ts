// Blast-radius guards: which of a plan's retirements may go ahead now and which wait for a person.
// Only retirements (deactivating a user or setting an expiration date) are guarded and counted: a
// restore gives access back, and holding it would only prolong a mistake. A company whose cascade is
// too big is held whole, while everything under the limits — Charlie's single leave — goes ahead.
import type { GuardName, HeldChange, NewHeldChange } from '../domain/held-change.ts';
import type { AccessState } from '../domain/lms.ts';
import type { Plan, PlanItem } from '../domain/plan.ts';

export interface GuardLimits {
  maxRetirementsPerRun: number;
  /** Percent of all managed users (Docebo users linked to an in-scope contact). */
  maxRetirementsPercent: number;
  maxPerAccount: number;
  /** Percent of the last full plan's managed contacts that Salesforce must still return. */
  minSourceShare: number;
}

/**
 * A stored held change for one of the plan's items: still waiting (`held`), or decided. It covers the
 * item only with exactly this `after` state.
 */
export type PastDecision = Pick<
  HeldChange,
  'itemKey' | 'accountId' | 'after' | 'status' | 'id' | 'guard' | 'reason'
>;

export interface GuardInput {
  limits: GuardLimits;
  /** Contacts Salesforce returned now; null on the event path, which reads only some contacts. */
  managedContacts: number | null;
  /** The last full plan's count that passed the source guard; null before the first. */
  lastManagedContacts: number | null;
  managedUsers: number;
  /** Waiting, approved and rejected held changes for the plan's items. */
  decisions: PastDecision[];
}

export interface GuardOutcome {
  /** The same plan with only the items that may go ahead now. */
  plan: Plan;
  held: NewHeldChange[];
  /** Items a person rejected with the same facts: not applied, not held again. */
  rejected: PlanItem[];
  /** Approved decisions this plan uses (their items are in `plan`). */
  approvedUsed: { id: number; itemKey: string }[];
  /** The source looked empty or partial: no retirement at all this time. */
  blocked: null | { reason: string; retirements: number };
}

export function isRetirement(i: PlanItem): boolean {
  return (
    (i.before.active && !i.after.active) ||
    (i.after.expirationDate !== null && i.after.expirationDate !== i.before.expirationDate)
  );
}

const sameAccess = (a: AccessState, b: AccessState) =>
  a.active === b.active && a.expirationDate === b.expirationDate;

const groupKey = (i: PlanItem) => (i.account ? `account:${i.account.id}` : `contact:${i.key}`);

/** The overall limit: the smaller of the count and the share, never below one (a single leaver). */
export function overallLimit(limits: GuardLimits, managedUsers: number): { limit: number; guard: GuardName } {
  const share = Math.max(1, Math.floor((limits.maxRetirementsPercent * managedUsers) / 100));
  return share < limits.maxRetirementsPerRun
    ? { limit: share, guard: 'maxRetirementsPercent' }
    : { limit: limits.maxRetirementsPerRun, guard: 'maxRetirementsPerRun' };
}

export function sourceShrank(
  limits: GuardLimits,
  managed: number | null,
  last: number | null,
): string | null {
  if (managed === null || last === null || last <= 0) return null;
  if (managed * 100 >= limits.minSourceShare * last) return null;
  return (
    `Salesforce returned ${managed} managed contacts, ${Math.round((managed * 100) / last)}% of the ` +
    `${last} of the last full run (minSourceShare ${limits.minSourceShare}%)`
  );
}

function heldChange(planId: string, item: PlanItem, guard: GuardName, reason: string): NewHeldChange {
  return {
    planId,
    itemKey: item.key,
    accountId: item.account?.id ?? null,
    accountName: item.account?.name ?? null,
    contactId: item.contact.id,
    userId: item.userId,
    username: item.username,
    guard,
    reason,
    after: item.after,
  };
}

function summarise(plan: Plan, items: PlanItem[]): Plan {
  return {
    ...plan,
    items,
    summary: {
      ...plan.summary,
      changes: items.length,
      deactivations: items.filter((i) => i.before.active && !i.after.active).length,
      expirationsSet: items.filter((i) => i.before.expirationDate !== i.after.expirationDate).length,
      accounts: new Set(items.map((i) => i.account?.id ?? '')).size,
    },
  };
}

export function applyGuards(plan: Plan, input: GuardInput): GuardOutcome {
  const { limits } = input;
  const decided = new Map<string, PastDecision[]>();
  for (const d of input.decisions) decided.set(d.itemKey, [...(decided.get(d.itemKey) ?? []), d]);
  const decisionFor = (i: PlanItem, status: 'held' | 'approved' | 'rejected') =>
    (decided.get(i.key) ?? []).find((d) => d.status === status && sameAccess(d.after, i.after));

  const rejected = plan.items.filter((i) => isRetirement(i) && decisionFor(i, 'rejected'));
  const items = plan.items.filter((i) => !rejected.includes(i));
  const retirements = items.filter(isRetirement);

  const blockedReason = sourceShrank(limits, input.managedContacts, input.lastManagedContacts);
  if (blockedReason !== null)
    return {
      plan: summarise(
        plan,
        items.filter((i) => !isRetirement(i)),
      ),
      held: [],
      rejected,
      approvedUsed: [],
      blocked: { reason: blockedReason, retirements: retirements.length },
    };

  // A company's approval covers its retirements only while every one of them is still as approved.
  const groups = new Map<string, PlanItem[]>();
  for (const i of retirements) groups.set(groupKey(i), [...(groups.get(groupKey(i)) ?? []), i]);
  const approvedUsed: { id: number; itemKey: string }[] = [];
  const candidates: [string, PlanItem[]][] = [];
  for (const [key, group] of groups) {
    const approvals = group.map((i) => decisionFor(i, 'approved'));
    if (approvals.every((a) => a !== undefined))
      approvedUsed.push(...approvals.map((a) => ({ id: a!.id, itemKey: a!.itemKey })));
    else candidates.push([key, group]);
  }

  const heldKeys = new Set<string>();
  const held: NewHeldChange[] = [];
  const hold = (group: PlanItem[], guard: GuardName, reason: string) => {
    for (const i of group) {
      heldKeys.add(i.key);
      held.push(heldChange(plan.id, i, guard, reason));
    }
  };
  const open: [string, PlanItem[]][] = [];
  for (const [key, group] of candidates) {
    // Held stays held until someone decides: otherwise a cascade held today would slip out tomorrow,
    // in a run small enough to fit under the limits.
    const waiting = group.map((i) => decisionFor(i, 'held')).find((d) => d !== undefined);
    if (waiting) hold(group, waiting.guard, waiting.reason);
    else if (key.startsWith('account:') && group.length > limits.maxPerAccount)
      hold(
        group,
        'maxPerAccount',
        `${group.length} retirements exceed maxPerAccount ${limits.maxPerAccount}`,
      );
    else open.push([key, group]);
  }

  // Over the overall limit, the biggest cascades wait first; single leavers keep going.
  const { limit, guard } = overallLimit(limits, input.managedUsers);
  let total = open.reduce((n, [, g]) => n + g.length, 0);
  if (total > limit) {
    const all = total;
    const biggestFirst = [...open].sort(([ka, a], [kb, b]) => b.length - a.length || ka.localeCompare(kb));
    for (const [, group] of biggestFirst) {
      if (total <= limit) break;
      total -= group.length;
      hold(
        group,
        guard,
        `${all} retirements in this run exceed ${guard} ${guard === 'maxRetirementsPercent' ? `${limits.maxRetirementsPercent}% (${limit} of ${input.managedUsers} users)` : limit}; ${group.length} of them here`,
      );
    }
  }

  return {
    plan: summarise(
      plan,
      items.filter((i) => !heldKeys.has(i.key)),
    ),
    held,
    rejected,
    approvedUsed,
    blocked: null,
  };
}
