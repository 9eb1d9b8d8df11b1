// Undo as a plan: put back the Docebo state the journal recorded before Roster's changes in a scope (a
// run, an account, a user) — but only for users in whom Docebo still holds what Roster set. Anyone
// changed since (by hand, or by a later Roster change) is skipped and reported, never overwritten.
import type { IsoDate } from '../domain/dates.ts';
import type { AccountId, DoceboUserId } from '../domain/ids.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import {
  PLAN_FORMAT_VERSION,
  isDeactivation,
  type AccountRef,
  type ContactRef,
  type Plan,
  type PlanItem,
  type Reason,
  type RetireMode,
} from '../domain/plan.ts';
import { sameAccess } from './desired-access.ts';
import { indexOwnership } from './ownership.ts';
import { crmDigest, lmsDigest } from './plan-digest.ts';

export type UndoScope = { runId: string } | { accountId: AccountId } | { userId: DoceboUserId };

export const UNDO_RULE = 'undo';

export interface UndoSkip {
  userId: DoceboUserId;
  username: string;
  reason: string;
}

export interface UndoInput {
  id: string;
  createdAt: string;
  today: IsoDate;
  mode: RetireMode;
  scope: UndoScope;
  /** Journal entries in the scope, any order and outcome (only applied ones count). */
  entries: JournalEntry[];
  /** Roster's latest applied change per user, to tell a later Roster change from one by hand. */
  ownership: OwnershipRecord[];
  /** A fresh Docebo listing. */
  users: LmsUser[];
  /** Contact and account names by plan item key, from the plans the entries came from. */
  refs: Map<string, { contact: ContactRef; account: AccountRef | null }>;
}

export function describeScope(scope: UndoScope): string {
  if ('runId' in scope) return `run ${scope.runId}`;
  if ('accountId' in scope) return `account ${scope.accountId}`;
  return `user ${scope.userId}`;
}

const showAccess = (a: AccessState): string =>
  `${a.active ? 'active' : 'inactive'}, expires ${a.expirationDate ?? 'never'}`;

function undoReason(scope: UndoScope, changes: JournalEntry[], today: IsoDate): Reason {
  const rules = [...new Set(changes.flatMap((e) => e.reasons.map((r) => r.rule)))];
  return {
    rule: UNDO_RULE,
    effectiveDate: today,
    dateFrom: 'first-seen',
    facts: {
      undoes: describeScope(scope),
      'Roster change': [...new Set(changes.map((e) => e.action))].join(', '),
      'Roster rules': rules.join(', '),
      'Roster runs': [...new Set(changes.map((e) => e.runId))].join(', '),
    },
  };
}

export function buildUndoPlan(input: UndoInput): { plan: Plan; skipped: UndoSkip[] } {
  const { scope, today } = input;
  const byUser = new Map<DoceboUserId, JournalEntry[]>();
  for (const e of input.entries) {
    if (e.outcome !== 'applied') continue;
    byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  }
  const owners = indexOwnership(input.ownership);
  const docebo = new Map(input.users.map((u) => [u.id, u]));
  const items: PlanItem[] = [];
  const skipped: UndoSkip[] = [];

  for (const [userId, list] of byUser) {
    list.sort((a, b) => a.id - b.id);
    // A user's undo is their latest change; a run or an account puts back the earliest state in scope.
    const changes = 'userId' in scope ? list.slice(-1) : list;
    const first = changes[0]!;
    const last = changes[changes.length - 1]!;
    const skip = (reason: string) => skipped.push({ userId, username: last.username, reason });
    const latest = owners.get(userId);
    if (latest && latest.entryId > last.id) {
      skip(`changed since by Roster (${latest.action} in run ${latest.runId}): undo that first`);
      continue;
    }
    const user = docebo.get(userId);
    if (!user) {
      skip('no longer in Docebo');
      continue;
    }
    const current: AccessState = { active: user.active, expirationDate: user.expirationDate };
    if (!sameAccess(current, last.after)) {
      skip(
        `Docebo no longer holds what Roster set (${showAccess(last.after)}; now ${showAccess(current)}): changed by hand since`,
      );
      continue;
    }
    if (sameAccess(current, first.before)) {
      skip('already as it was before Roster changed it');
      continue;
    }
    const ref = input.refs.get(last.itemKey);
    items.push({
      key: last.itemKey,
      userId,
      username: user.username,
      contact: ref?.contact ?? { id: last.contactId, name: user.username, email: user.email },
      account: ref?.account ?? (last.accountId ? { id: last.accountId, name: last.accountId } : null),
      before: current,
      after: first.before,
      reasons: [undoReason(scope, changes, today)],
      action: 'undo',
    });
  }
  items.sort(
    (a, b) =>
      (a.account?.name ?? '\uffff').localeCompare(b.account?.name ?? '\uffff') ||
      a.contact.name.localeCompare(b.contact.name) ||
      a.key.localeCompare(b.key),
  );
  skipped.sort((a, b) => a.username.localeCompare(b.username));

  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    id: input.id,
    createdAt: input.createdAt,
    today,
    mode: input.mode,
    basis: { crmDigest: crmDigest([]), lmsDigest: lmsDigest(input.users) },
    summary: {
      changes: items.length,
      deactivations: items.filter(isDeactivation).length,
      expirationsSet: 0,
      restores: 0,
      drift: 0,
      accounts: new Set(items.map((i) => i.account?.id ?? '')).size,
      managedContacts: 0,
      linked: items.length,
      unmatched: 0,
      ambiguous: 0,
    },
    items,
    unmatched: [],
    ambiguous: [],
  };
  return { plan, skipped };
}
