// What people ask of Roster's own records, without Salesforce or Docebo: plans, runs, the journal and
// its audit trail, one person's story, the work queue, held changes and decisions. The CLI and the
// admin API both use these; neither reaches the store itself.
import { latestRecordByJournalId, type AuditVerification } from '../domain/audit.ts';
import { RosterError } from '../domain/errors.ts';
import type { Decision, DecisionScope, HeldChange } from '../domain/held-change.ts';
import type { JournalEntry, Run } from '../domain/journal.ts';
import type { Job, JobStatus, QueueStats } from '../domain/work.ts';
import type { Clock } from '../ports/clock.ts';
import type { JournalQuery, PlanQuery, Store, StoredPlan } from '../ports/store.ts';
import { decideHeld, type DecideResult } from './decide-held.ts';
import { loadPersonHistory, type PersonHistory } from './person-history.ts';

export interface ExportedJournalRow {
  entry: JournalEntry;
  /** The latest audit record covering the row (its write or its settlement). */
  audit: { seq: number; hash: string } | null;
}

export interface RecordUseCases {
  listPlans(query: PlanQuery): Promise<StoredPlan[]>;
  /** Throws ROSTER_PLAN_NOT_FOUND. */
  getPlan(id: string): Promise<StoredPlan>;
  listRuns(limit: number): Promise<Run[]>;
  listJournal(query: JournalQuery): Promise<JournalEntry[]>;
  /** Journal rows at or after `since` and before `until` (ISO instants), oldest first, with their audit hash. */
  exportJournal(range: { since?: string; until?: string }): Promise<ExportedJournalRow[]>;
  verifyAudit(): Promise<AuditVerification>;
  history(who: string): Promise<PersonHistory>;
  queue(filter: { status?: JobStatus; limit?: number }): Promise<{ stats: QueueStats; jobs: Job[] }>;
  /** Dead letters back to the queue (all of them without ids); returns how many. */
  retryDead(ids?: number[]): Promise<number>;
  listHeld(): Promise<HeldChange[]>;
  decide(
    scope: DecisionScope,
    decision: { decision: Decision; by: string },
  ): Promise<DecideResult & { at: string }>;
  /** An admin accepts a smaller Salesforce population: the source guard forgets its baseline (audited). */
  forgetSourceBaseline(by: string): Promise<{ previous: number | null; at: string }>;
}

export function recordUseCases(store: Store, clock: Pick<Clock, 'now'>): RecordUseCases {
  const now = () => clock.now().toISOString();
  return {
    listPlans: (query) => store.plans.list(query),
    getPlan: async (id) => {
      const stored = await store.plans.get(id);
      if (!stored)
        throw new RosterError('ROSTER_PLAN_NOT_FOUND', `No stored plan ${id}.`, { details: { planId: id } });
      return stored;
    },
    listRuns: (limit) => store.runs.list(limit),
    listJournal: (query) => store.journal.list(query),
    exportJournal: async ({ since, until }) => {
      const journal = (await store.journal.list({}))
        .filter((e) => (since === undefined || e.at >= since) && (until === undefined || e.at < until))
        .sort((a, b) => a.id - b.id);
      const latest = latestRecordByJournalId(await store.audit.list({ kinds: ['journal', 'settle'] }));
      return journal.map((entry) => {
        const audit = latest.get(entry.id);
        return { entry, audit: audit ? { seq: audit.seq, hash: audit.hash } : null };
      });
    },
    verifyAudit: () => store.audit.verify(),
    history: (who) => loadPersonHistory(store, who),
    queue: async (filter) => {
      const at = now();
      const [stats, jobs] = await Promise.all([store.queue.stats(at), store.queue.list(filter)]);
      return { stats, jobs };
    },
    retryDead: (ids) => store.queue.reviveDead(now(), ids),
    listHeld: () => store.approvals.listHeld({ status: 'held' }),
    decide: async (scope, { decision, by }) => {
      const at = now();
      return { ...(await decideHeld(store, scope, { decision, by, at })), at };
    },
    forgetSourceBaseline: async (by) => {
      const at = now();
      const previous = await store.approvals.getLastManagedCount();
      await store.approvals.setLastManagedCount(null);
      await store.audit.append([
        { kind: 'approval', ref: 'guard:minSourceShare', payload: { by, at, forgot: previous } },
      ]);
      return { previous, at };
    },
  };
}
