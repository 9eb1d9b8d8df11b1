// StateStore over Kysely: one implementation for SQLite (better-sqlite3) and PostgreSQL (pg). Every
// multi-row write runs in one transaction; status changes are conditional updates, so two processes
// cannot both move a plan from the same state.
import type { Kysely } from 'kysely';
import { RosterError, type RosterErrorData } from '../../domain/errors.ts';
import type {
  JournalEntry,
  JournalSettlement,
  NewJournalEntry,
  Run,
  RunStatus,
} from '../../domain/journal.ts';
import type { AuditRecord, AuditVerification, NewAuditRecord } from '../../domain/audit.ts';
import type { Link, RuleObservation } from '../../domain/link.ts';
import type { AuditQuery } from '../../ports/audit-log.ts';
import type { Plan } from '../../domain/plan.ts';
import type { ContactId } from '../../domain/ids.ts';
import type { AccessState, LmsUser } from '../../domain/lms.ts';
import type { FeedDelivery, FeedName, Job, JobStatus, QueueStats } from '../../domain/work.ts';
import type { JournalQuery, PlanQuery, PlanStatus, StateStore, StoredPlan } from '../../ports/state-store.ts';
import type { Decision, DecisionScope, HeldChange, NewHeldChange } from '../../domain/held-change.ts';
import type { HeldQuery } from '../../ports/approvals.ts';
import { KyselyApprovals } from './kysely-approvals.ts';
import { KyselyAuditLog } from './kysely-audit-log.ts';
import { KyselyPlans } from './kysely-plans.ts';
export { PLAN_TRANSITIONS } from './kysely-plans.ts';
import type { OwnershipRecord } from '../../domain/ownership.ts';
import { KyselyCallLog } from './kysely-call-log.ts';
import { listOwnership } from './kysely-ownership.ts';
import { KyselyUserCache } from './kysely-user-cache.ts';
import { KyselyWorkQueue } from './kysely-work-queue.ts';
import { MIGRATION_TABLE } from './migrations.ts';
import {
  linkToRow,
  observationToRow,
  rowToJournal,
  rowToLink,
  rowToObservation,
  rowToRun,
  runToRow,
} from './row-mapping.ts';
import { storeError } from './store-errors.ts';
import type { StoreDatabase, StoreDialect } from './store-schema.ts';
import { chunk, ROWS_PER_INSERT } from './store-transactions.ts';

const FINISHED_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'partially-failed',
  'failed',
  'interrupted',
];

export interface KyselyStateStoreOptions {
  db: Kysely<StoreDatabase>;
  dialect: StoreDialect;
  /** The store URL with any password removed, for messages. */
  label: string;
  /** Strings that must never appear in an error message (the database password). */
  secrets: string[];
  now: () => Date;
}

export class KyselyStateStore implements StateStore {
  readonly dialect: StoreDialect;
  private readonly db: Kysely<StoreDatabase>;
  private readonly label: string;
  private readonly secrets: string[];
  private readonly now: () => Date;
  private readonly queue: KyselyWorkQueue;
  private readonly users: KyselyUserCache;
  private readonly calls: KyselyCallLog;
  private readonly audit: KyselyAuditLog;
  private readonly approvals: KyselyApprovals;
  private readonly plans: KyselyPlans;

  constructor(options: KyselyStateStoreOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.label = options.label;
    this.secrets = options.secrets;
    this.now = options.now;
    this.queue = new KyselyWorkQueue(options.db, options.dialect);
    this.users = new KyselyUserCache(options.db);
    this.calls = new KyselyCallLog(options.db);
    this.audit = new KyselyAuditLog(options.db, options.dialect, options.now);
    this.approvals = new KyselyApprovals(options.db, options.dialect);
    this.plans = new KyselyPlans(options.db);
  }

  private async guard<T>(op: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw storeError(e, op, this.label, this.secrets);
    }
  }

  close(): Promise<void> {
    return this.guard('close', () => this.db.destroy());
  }

  /** Names of the migrations recorded as applied, in order (not part of the port; for doctor and tests). */
  appliedMigrations(): Promise<string[]> {
    return this.guard('appliedMigrations', async () => {
      const rows = await (this.db as unknown as Kysely<Record<string, { name: string }>>)
        .selectFrom(MIGRATION_TABLE)
        .select('name')
        .orderBy('name')
        .execute();
      return rows.map((r) => r.name);
    });
  }

  listLinks(): Promise<Link[]> {
    return this.guard('listLinks', async () => {
      const rows = await this.db.selectFrom('links').selectAll().orderBy('contact_id').execute();
      return rows.map(rowToLink);
    });
  }

  replaceLinks(links: Link[]): Promise<void> {
    return this.guard('replaceLinks', () =>
      this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('links').execute();
        for (const part of chunk(links.map(linkToRow), ROWS_PER_INSERT)) {
          await trx.insertInto('links').values(part).execute();
        }
      }),
    );
  }

  listRuleObservations(): Promise<RuleObservation[]> {
    return this.guard('listRuleObservations', async () => {
      const rows = await this.db
        .selectFrom('rule_observations')
        .selectAll()
        .orderBy('contact_id')
        .orderBy('rule')
        .execute();
      return rows.map(rowToObservation);
    });
  }

  updateRuleObservations(
    add: RuleObservation[],
    remove: { contactId: ContactId; rule: string }[],
  ): Promise<void> {
    return this.guard('updateRuleObservations', () =>
      this.db.transaction().execute(async (trx) => {
        // Forget first, so a rule listed in both (it stopped and started holding again) is kept.
        for (const part of chunk(remove, ROWS_PER_INSERT)) {
          await trx
            .deleteFrom('rule_observations')
            .where((eb) =>
              eb(
                eb.refTuple('contact_id', 'rule'),
                'in',
                part.map((r) => eb.tuple(r.contactId, r.rule)),
              ),
            )
            .execute();
        }
        // A first sighting may move earlier (a backfill found an older one) but never later.
        for (const part of chunk(add.map(observationToRow), ROWS_PER_INSERT)) {
          await trx
            .insertInto('rule_observations')
            .values(part)
            .onConflict((oc) =>
              oc
                .columns(['contact_id', 'rule'])
                .doUpdateSet((eb) => ({ first_seen: eb.ref('excluded.first_seen') }))
                .where((eb) => eb('rule_observations.first_seen', '>', eb.ref('excluded.first_seen'))),
            )
            .execute();
        }
      }),
    );
  }

  savePlan(plan: Plan, status: PlanStatus): Promise<void> {
    return this.guard('savePlan', () => this.plans.save(plan, status));
  }

  getPlan(id: string): Promise<{ plan: Plan; status: PlanStatus } | null> {
    return this.guard('getPlan', () => this.plans.get(id));
  }

  setPlanStatus(id: string, status: PlanStatus): Promise<void> {
    return this.guard('setPlanStatus', () => this.plans.setStatus(id, status));
  }

  listPlans(query: PlanQuery): Promise<StoredPlan[]> {
    return this.guard('listPlans', () => this.plans.list(query));
  }

  supersedePlans(opts: { exceptId: string; createdAtOrBefore: string }): Promise<string[]> {
    return this.guard('supersedePlans', () => this.plans.supersede(opts));
  }

  startRun(run: Run): Promise<void> {
    return this.guard('startRun', async () => {
      await this.db.insertInto('runs').values(runToRow(run)).execute();
    });
  }

  finishRun(id: string, status: RunStatus, summary: Record<string, number>): Promise<void> {
    return this.guard('finishRun', async () => {
      if (!FINISHED_RUN_STATUSES.includes(status))
        throw new RosterError('ROSTER_STORE_CONFLICT', `A run cannot finish as ${status}.`);
      const result = await this.db
        .updateTable('runs')
        .set({ status, summary: JSON.stringify(summary), finished_at: this.now().toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
      const current = await this.db
        .selectFrom('runs')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw new RosterError('ROSTER_INTERNAL', `No run ${id} to finish.`);
      throw new RosterError('ROSTER_STORE_CONFLICT', `Run ${id} is already ${current.status}.`, {
        details: { runId: id, from: current.status, to: status },
      });
    });
  }

  listRuns(limit: number): Promise<Run[]> {
    return this.guard('listRuns', async () => {
      if (limit <= 0) return [];
      const rows = await this.db
        .selectFrom('runs')
        .selectAll()
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.floor(limit))
        .execute();
      return rows.map(rowToRun);
    });
  }

  markInterruptedRuns(): Promise<number> {
    return this.guard('markInterruptedRuns', async () => {
      const result = await this.db
        .updateTable('runs')
        .set({ status: 'interrupted', finished_at: this.now().toISOString() })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  // Every journal write appends its audit records in the same transaction (kysely-audit-log.ts).
  appendJournal(entries: NewJournalEntry[]): Promise<void> {
    return this.guard('appendJournal', () => this.audit.appendJournal(entries));
  }

  settleJournal(settlements: JournalSettlement[]): Promise<void> {
    return this.guard('settleJournal', () => this.audit.settleJournal(settlements));
  }

  appendAudit(records: NewAuditRecord[]): Promise<void> {
    return this.guard('appendAudit', () => this.audit.appendAudit(records));
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.guard('verifyAudit', () => this.audit.verifyAudit());
  }

  listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.guard('listAudit', () => this.audit.listAudit(query));
  }

  listUnsettledJournal(): Promise<JournalEntry[]> {
    return this.guard('listUnsettledJournal', async () => {
      const rows = await this.db
        .selectFrom('journal')
        .selectAll()
        .where('outcome', '=', 'pending')
        .where('run_id', 'not in', this.db.selectFrom('runs').select('id').where('status', '=', 'running'))
        .orderBy('id', 'asc')
        .execute();
      return rows.map(rowToJournal);
    });
  }

  listJournal(query: JournalQuery): Promise<JournalEntry[]> {
    return this.guard('listJournal', async () => {
      if (query.limit !== undefined && query.limit <= 0) return [];
      let q = this.db.selectFrom('journal').selectAll();
      if (query.runId !== undefined) q = q.where('run_id', '=', query.runId);
      if (query.userId !== undefined) q = q.where('user_id', '=', query.userId);
      if (query.contactId !== undefined) q = q.where('contact_id', '=', query.contactId);
      if (query.accountId !== undefined) q = q.where('account_id', '=', query.accountId);
      q = q.orderBy('id', 'desc');
      if (query.limit !== undefined) q = q.limit(Math.floor(query.limit));
      const rows = await q.execute();
      return rows.map(rowToJournal);
    });
  }

  listOwnership(): Promise<OwnershipRecord[]> {
    return this.guard('listOwnership', () => listOwnership(this.db));
  }

  // WorkQueue, LmsUserCache and CallLog live in their own modules; the store maps their errors.

  enqueue(delivery: FeedDelivery, now: string): Promise<{ queued: number; duplicates: string[] }> {
    return this.guard('enqueue', () => this.queue.enqueue(delivery, now));
  }

  claim(opts: { now: string; limit: number; leaseUntil: string }): Promise<Job[]> {
    return this.guard('claim', () => this.queue.claim(opts));
  }

  complete(jobIds: number[]): Promise<void> {
    return this.guard('complete', () => this.queue.complete(jobIds));
  }

  fail(
    jobId: number,
    error: RosterErrorData,
    opts: { nextAttemptAt: string; maxAttempts: number; now: string },
  ): Promise<'queued' | 'dead'> {
    return this.guard('fail', () => this.queue.fail(jobId, error, opts));
  }

  releaseExpiredLeases(now: string): Promise<number> {
    return this.guard('releaseExpiredLeases', () => this.queue.releaseExpiredLeases(now));
  }

  listJobs(filter: { status?: JobStatus; limit?: number }): Promise<Job[]> {
    return this.guard('listJobs', () => this.queue.listJobs(filter));
  }

  reviveDead(now: string, ids?: number[]): Promise<number> {
    return this.guard('reviveDead', () => this.queue.reviveDead(now, ids));
  }

  queueStats(now: string): Promise<QueueStats> {
    return this.guard('queueStats', () => this.queue.queueStats(now));
  }

  getCheckpoint(feed: FeedName): Promise<unknown | null> {
    return this.guard('getCheckpoint', () => this.queue.getCheckpoint(feed));
  }

  replaceCachedUsers(users: LmsUser[], at: string): Promise<void> {
    return this.guard('replaceCachedUsers', () => this.users.replaceCachedUsers(users, at));
  }

  listCachedUsers(): Promise<{ users: LmsUser[]; refreshedAt: string | null }> {
    return this.guard('listCachedUsers', () => this.users.listCachedUsers());
  }

  updateCachedAccess(updates: { userId: string; state: AccessState }[]): Promise<void> {
    return this.guard('updateCachedAccess', () => this.users.updateCachedAccess(updates));
  }

  upsertLinks(links: Link[]): Promise<void> {
    return this.guard('upsertLinks', () => this.users.upsertLinks(links));
  }

  recordCalls(target: 'docebo', at: string[]): Promise<void> {
    return this.guard('recordCalls', () => this.calls.recordCalls(target, at));
  }

  recentCalls(target: 'docebo', since: string): Promise<string[]> {
    return this.guard('recentCalls', () => this.calls.recentCalls(target, since));
  }

  // ApprovalStore (held changes and decisions) lives in kysely-approvals.ts.

  recordHeld(changes: NewHeldChange[], opts: { at: string; replaceWaiting: boolean }): Promise<HeldChange[]> {
    return this.guard('recordHeld', () => this.approvals.recordHeld(changes, opts));
  }

  listHeld(query: HeldQuery): Promise<HeldChange[]> {
    return this.guard('listHeld', () => this.approvals.listHeld(query));
  }

  decide(
    scope: DecisionScope,
    decision: { decision: Decision; by: string; at: string },
  ): Promise<HeldChange[]> {
    return this.guard('decide', () => this.approvals.decide(scope, decision));
  }

  decisionsFor(itemKeys: string[]): Promise<HeldChange[]> {
    return this.guard('decisionsFor', () => this.approvals.decisionsFor(itemKeys));
  }

  markApprovalsApplied(ids: number[]): Promise<void> {
    return this.guard('markApprovalsApplied', () => this.approvals.markApprovalsApplied(ids));
  }

  getLastManagedCount(): Promise<number | null> {
    return this.guard('getLastManagedCount', () => this.approvals.getLastManagedCount());
  }

  setLastManagedCount(count: number | null): Promise<void> {
    return this.guard('setLastManagedCount', () => this.approvals.setLastManagedCount(count));
  }
}
