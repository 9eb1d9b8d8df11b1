// Is a stored (reviewed) plan still what Roster would do now? Compares it item by item with a plan
// computed from current facts. Items are compared field by field and generically (deep equality), so
// fields added to PlanItem later are covered too: a stored item may only be applied if it is exactly
// what the fresh plan contains under the same key.
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { Plan, PlanItem, Reason } from '../domain/plan.ts';

/** What moved: the Salesforce facts behind an item, Docebo's current state, or the desired state. */
export type StaleCause = 'salesforce-facts' | 'docebo-state' | 'desired-state';

export interface MovedItem {
  key: string;
  userId: string;
  username: string;
  causes: StaleCause[];
  /** The PlanItem fields that differ (or `item` when the fresh plan has no such item). */
  fields: string[];
  /** One line per difference, for people. */
  details: string[];
  stored: PlanItem;
  /** The same key in the fresh plan, or null when no change is planned for it any more. */
  current: PlanItem | null;
}

export interface PlanStaleness {
  moved: MovedItem[];
  /** Changes the fresh plan has that the stored plan does not: never reviewed, so never applied from it. */
  added: PlanItem[];
}

// Which part of the world a PlanItem field comes from; unknown fields count as the desired state.
const FIELD_CAUSE: Record<string, StaleCause> = {
  before: 'docebo-state',
  username: 'docebo-state',
  userId: 'docebo-state',
  drift: 'docebo-state',
  reasons: 'salesforce-facts',
  contact: 'salesforce-facts',
  account: 'salesforce-facts',
  after: 'desired-state',
};

/** Deep equality of JSON values; a missing key equals an undefined one (JSON drops both). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!jsonEqual(ra[k], rb[k])) return false;
  return true;
}

const showState = (s: AccessState): string =>
  `${s.active ? 'active' : 'inactive'}, expires ${s.expirationDate ?? 'never'}`;

const showValue = (v: unknown): string => (v === null || v === undefined ? 'empty' : String(v));

/** `contact-left: Left_Date__c 2025-01-03 → 2025-01-01`, rules that started or stopped holding. */
function describeReasons(stored: Reason[], current: Reason[]): string {
  const parts: string[] = [];
  const now = new Map(current.map((r) => [r.rule, r]));
  const was = new Map(stored.map((r) => [r.rule, r]));
  for (const r of stored) {
    const c = now.get(r.rule);
    if (!c) {
      parts.push(`${r.rule} no longer holds`);
      continue;
    }
    const paths = [...new Set([...Object.keys(r.facts), ...Object.keys(c.facts)])];
    const changed = paths
      .filter((k) => !jsonEqual(r.facts[k], c.facts[k]))
      .map((k) => `${k} ${showValue(r.facts[k])} → ${showValue(c.facts[k])}`);
    if (r.effectiveDate !== c.effectiveDate && changed.length === 0)
      changed.push(`effective ${r.effectiveDate} → ${c.effectiveDate}`);
    if (changed.length > 0) parts.push(`${r.rule}: ${changed.join(', ')}`);
    else if (!jsonEqual(r, c)) parts.push(`${r.rule} changed`);
  }
  for (const c of current) if (!was.has(c.rule)) parts.push(`${c.rule} now holds`);
  return parts.join('; ') || 'the reasons were reordered';
}

function describeField(field: string, stored: PlanItem, current: PlanItem): string {
  switch (field) {
    case 'before':
      return `Docebo state was ${showState(stored.before)}, now ${showState(current.before)}`;
    case 'after':
      return `desired state was ${showState(stored.after)}, now ${showState(current.after)}`;
    case 'reasons':
      return `Salesforce facts changed: ${describeReasons(stored.reasons, current.reasons)}`;
    default: {
      const s = (stored as unknown as Record<string, unknown>)[field];
      const c = (current as unknown as Record<string, unknown>)[field];
      return `${field} was ${JSON.stringify(s) ?? 'unset'}, now ${JSON.stringify(c) ?? 'unset'}`;
    }
  }
}

function compareItem(stored: PlanItem, current: PlanItem): MovedItem | null {
  const s = stored as unknown as Record<string, unknown>;
  const c = current as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(s), ...Object.keys(c)])]
    .filter((f) => f !== 'key' && !jsonEqual(s[f], c[f]))
    .sort();
  if (fields.length === 0) return null;
  const causes = [...new Set(fields.map((f) => FIELD_CAUSE[f] ?? 'desired-state'))].sort();
  return {
    key: stored.key,
    userId: stored.userId,
    username: stored.username,
    causes,
    fields,
    details: fields.map((f) => describeField(f, stored, current)),
    stored,
    current,
  };
}

function vanished(stored: PlanItem, users: Map<string, LmsUser>, fresh: Plan): MovedItem {
  const user = users.get(stored.userId);
  const base = { key: stored.key, userId: stored.userId, username: stored.username, stored, current: null };
  if (!user)
    return {
      ...base,
      causes: ['docebo-state'],
      fields: ['item'],
      details: ['the Docebo user no longer exists'],
    };
  const now: AccessState = { active: user.active, expirationDate: user.expirationDate };
  if (!jsonEqual(now, stored.before))
    return {
      ...base,
      causes: ['docebo-state'],
      fields: ['item'],
      details: [
        `Docebo state was ${showState(stored.before)}, now ${showState(now)}; no change is planned any more`,
      ],
    };
  const relinked = fresh.items.some((i) => i.userId === stored.userId && i.key !== stored.key);
  return {
    ...base,
    causes: ['salesforce-facts'],
    fields: ['item'],
    details: [
      relinked
        ? 'the Docebo user is now linked to another Salesforce contact'
        : 'no change is planned any more: the Salesforce facts (or the rules) behind it changed',
    ],
  };
}

/**
 * Compares a stored plan with a fresh one computed from current facts (`users`: Docebo as just read).
 * An empty `moved` means every stored item is exactly what Roster would do now.
 */
export function planStaleness(stored: Plan, fresh: Plan, users: readonly LmsUser[]): PlanStaleness {
  const freshByKey = new Map(fresh.items.map((i) => [i.key, i]));
  const storedKeys = new Set(stored.items.map((i) => i.key));
  const byId = new Map(users.map((u) => [u.id as string, u]));
  const moved: MovedItem[] = [];
  for (const item of stored.items) {
    const current = freshByKey.get(item.key);
    const m = current ? compareItem(item, current) : vanished(item, byId, fresh);
    if (m) moved.push(m);
  }
  const added = fresh.items.filter((i) => !storedKeys.has(i.key));
  return { moved, added };
}
