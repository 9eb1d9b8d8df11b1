// Rows ↔ domain values. The store wrote every row itself, so reading trusts the shape (and the brands);
// JSON goes in and out as text so both dialects return exactly what was written.
import type { IsoDate } from '../../domain/dates.ts';
import type { RosterErrorData } from '../../domain/errors.ts';
import { accountId, contactId, doceboUserId } from '../../domain/ids.ts';
import type {
  JournalAction,
  JournalEntry,
  JournalOutcome,
  NewJournalEntry,
  Run,
  RunKind,
  RunStatus,
} from '../../domain/journal.ts';
import type { Link, RuleObservation } from '../../domain/link.ts';
import type { AccessState, LmsUser } from '../../domain/lms.ts';
import type { Plan, Reason } from '../../domain/plan.ts';
import type { PlanStatus } from '../../ports/store.ts';
import type { Insertable, Selectable } from 'kysely';
import type { DirtyKind, DirtySource, Job, JobStatus } from '../../domain/work.ts';
import type {
  JobsTable,
  JournalTable,
  LinksTable,
  LmsUsersTable,
  PlansTable,
  RuleObservationsTable,
  RunsTable,
} from './store-schema.ts';

export const json = (value: unknown): string => {
  const text = JSON.stringify(value);
  // JSON.stringify(undefined) is undefined; let the NOT NULL constraint reject it rather than store "null".
  return text as string;
};
export const parse = <T>(text: string): T => JSON.parse(text) as T;

export const linkToRow = (l: Link): Insertable<LinksTable> => ({
  contact_id: l.contactId,
  user_id: l.userId,
  matched_on: l.matchedOn,
  linked_at: l.linkedAt,
});

export const rowToLink = (r: Selectable<LinksTable>): Link => ({
  contactId: contactId(r.contact_id),
  userId: doceboUserId(r.user_id),
  matchedOn: r.matched_on,
  linkedAt: r.linked_at,
});

export const observationToRow = (o: RuleObservation): Insertable<RuleObservationsTable> => ({
  contact_id: o.contactId,
  rule: o.rule,
  first_seen: o.firstSeen,
});

export const rowToObservation = (r: Selectable<RuleObservationsTable>): RuleObservation => ({
  contactId: contactId(r.contact_id),
  rule: r.rule,
  firstSeen: r.first_seen as IsoDate,
});

export const planToRow = (plan: Plan, status: PlanStatus): Insertable<PlansTable> => ({
  id: plan.id,
  created_at: plan.createdAt,
  status,
  body: json(plan),
});

export const rowToPlan = (r: Selectable<PlansTable>): { plan: Plan; status: PlanStatus } => ({
  plan: parse<Plan>(r.body),
  status: r.status as PlanStatus,
});

export const runToRow = (run: Run): Insertable<RunsTable> => ({
  id: run.id,
  kind: run.kind,
  status: run.status,
  started_at: run.startedAt,
  finished_at: run.finishedAt,
  plan_id: run.planId,
  summary: json(run.summary),
});

export const rowToRun = (r: Selectable<RunsTable>): Run => ({
  id: r.id,
  kind: r.kind as RunKind,
  status: r.status as RunStatus,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  planId: r.plan_id,
  summary: parse<Record<string, number>>(r.summary),
});

export const journalToRow = (e: NewJournalEntry): Insertable<JournalTable> => ({
  run_id: e.runId,
  plan_id: e.planId,
  item_key: e.itemKey,
  at: e.at,
  user_id: e.userId,
  username: e.username,
  contact_id: e.contactId,
  account_id: e.accountId,
  before: json(e.before),
  after: json(e.after),
  reasons: json(e.reasons),
  action: e.action,
  outcome: e.outcome,
  error: e.error === null ? null : json(e.error),
});

export const rowToJournal = (r: Selectable<JournalTable>): JournalEntry => ({
  id: Number(r.id),
  runId: r.run_id,
  planId: r.plan_id,
  itemKey: r.item_key,
  at: r.at,
  userId: doceboUserId(r.user_id),
  username: r.username,
  contactId: contactId(r.contact_id),
  accountId: r.account_id === null ? null : accountId(r.account_id),
  before: parse<AccessState>(r.before),
  after: parse<AccessState>(r.after),
  reasons: parse<Reason[]>(r.reasons),
  action: r.action as JournalAction,
  outcome: r.outcome as JournalOutcome,
  error: r.error === null ? null : parse<RosterErrorData>(r.error),
});

export const rowToJob = (r: Selectable<JobsTable>): Job => ({
  id: Number(r.id),
  kind: r.kind as DirtyKind,
  key: r.key,
  priority: Number(r.priority),
  status: r.status as JobStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  sources: parse<DirtySource[]>(r.sources),
  firstQueuedAt: r.first_queued_at,
  updatedAt: r.updated_at,
  lastError: r.last_error === null ? null : parse<RosterErrorData>(r.last_error),
});

export const userToRow = (u: LmsUser, cachedAt: string): Insertable<LmsUsersTable> => ({
  user_id: u.id,
  username: u.username,
  email: u.email,
  first_name: u.firstName,
  last_name: u.lastName,
  active: u.active ? 1 : 0,
  expiration_date: u.expirationDate,
  expired: u.expired ? 1 : 0,
  fields: json(u.fields),
  cached_at: cachedAt,
});

export const rowToUser = (r: Selectable<LmsUsersTable>): LmsUser => ({
  id: doceboUserId(r.user_id),
  username: r.username,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  active: Number(r.active) === 1,
  expirationDate: r.expiration_date as IsoDate | null,
  expired: Number(r.expired) === 1,
  fields: parse<Record<string, string | null>>(r.fields),
});
