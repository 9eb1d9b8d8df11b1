// The event path: claim due jobs from the durable queue, read only the contacts they name (or the
// contacts of the accounts they name), plan against Roster's cache of Docebo users, apply, and settle
// the jobs. The same pure planner as `roster plan`; only the inputs are narrower.
import { planFromFacts } from '../plan-from-facts.ts';
import { errorData, type RosterErrorData } from '../../domain/errors.ts';
import type { Plan } from '../../domain/plan.ts';
import type { Job } from '../../domain/work.ts';
import type { ApplyResult } from '../../executor/apply-plan.ts';
import { executePlan } from '../execute-plan.ts';
import { backoffDelayMs, type BackoffPolicy } from '../../executor/backoff.ts';
import { executionOrder } from '../../executor/execution-order.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { guardPlan, NO_GUARD_REPORT, type GuardReport } from '../guard-plan.ts';
import { refreshUserCache } from '../refresh-user-cache.ts';
import type { RosterContext } from '../roster-context.ts';

export interface JobSettings {
  claimLimit: number;
  maxAttempts: number;
  /** How long a claimed job stays ours; a crashed process's jobs come back after it. */
  leaseMs: number;
  /**
   * At most this many changes per round (default 500). A bigger cascade continues in the next round,
   * re-planned from then-current facts, so a leaver queued meanwhile never waits for 10,000 others.
   */
  maxChangesPerRound?: number;
  retry?: BackoffPolicy;
  /** serve's observe mode: journal what would be done, write nothing to Docebo. */
  observe?: boolean;
}

export interface ProcessedJobs {
  jobs: Job[];
  plan: Plan | null;
  result: ApplyResult | null;
  failedJobs: number;
  guard: GuardReport;
}

const JOB_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 15 * 60_000, maxRetryAfterMs: 60 * 60_000 };

export async function processDueJobs(
  ctx: RosterContext,
  settings: JobSettings,
  telemetry: Telemetry,
): Promise<ProcessedJobs> {
  const { store, clock } = ctx;
  const now = clock.now();
  const jobs = await store.queue.claim({
    now: now.toISOString(),
    limit: settings.claimLimit,
    leaseUntil: new Date(now.getTime() + settings.leaseMs).toISOString(),
  });
  if (jobs.length === 0) return { jobs, plan: null, result: null, failedJobs: 0, guard: NO_GUARD_REPORT };

  const started = clock.now().getTime();
  try {
    const { plan, result, more, guard } = await planAndApply(
      ctx,
      jobs,
      settings.maxChangesPerRound ?? 500,
      settings.observe ?? false,
    );
    // Jobs whose records had a failed change stay queued (backed off); the rest leave the queue.
    const failedKeys = new Map<string, RosterErrorData>();
    for (const o of result?.outcomes ?? []) {
      if (o.ok) continue;
      const error = o.error ?? {
        code: 'ROSTER_INTERNAL' as const,
        message: 'unknown failure',
        retryable: true,
      };
      failedKeys.set(`contact:${o.item.contact.id}`, error);
      if (o.item.account) failedKeys.set(`account:${o.item.account.id}`, error);
    }
    const failed = jobs.filter((j) => failedKeys.has(`${j.kind}:${j.key}`));
    await Promise.all(failed.map((j) => retryLater(ctx, settings, j, failedKeys.get(`${j.kind}:${j.key}`)!)));
    const done = jobs.filter((j) => !failed.includes(j));
    // Unfinished cascades go back in the queue before their jobs leave it: a crash in between only
    // duplicates a job (harmless, the next round re-plans), it never loses one.
    if (more)
      await store.queue.enqueue(
        { keys: done.map((j) => ({ kind: j.kind, id: j.key, source: 'retry' as const })) },
        clock.now().toISOString(),
      );
    await store.queue.complete(done.map((j) => j.id));
    telemetry.observe('roster_job_duration_seconds', (clock.now().getTime() - started) / 1000);
    return { jobs, plan, result, failedJobs: failed.length, guard };
  } catch (e) {
    // Nothing could be planned (Salesforce or Docebo unreachable): every job waits and tries again.
    const error = errorData(e);
    await Promise.all(jobs.map((j) => retryLater(ctx, settings, j, error)));
    throw e;
  }
}

async function planAndApply(
  ctx: RosterContext,
  jobs: Job[],
  maxChanges: number,
  observe: boolean,
): Promise<{ plan: Plan; result: ApplyResult | null; more: boolean; guard: GuardReport }> {
  const { settings, store } = ctx;
  const filter = {
    contactIds: jobs.filter((j) => j.kind === 'contact').map((j) => j.key),
    accountIds: jobs.filter((j) => j.kind === 'account').map((j) => j.key),
  };
  const contacts = await ctx.crm.fetchContacts(settings.query, undefined, filter);
  const cached = await store.users.list();
  const users = cached.refreshedAt === null ? await refreshUserCache(ctx) : cached.users;
  const planned = await planFromFacts(ctx, contacts, users, { partial: true });
  // Guarded whole, before it is cut into rounds: a cascade is judged by its full size.
  const { plan: allowed, guard } = await guardPlan(ctx, planned, { full: false });
  if (allowed.items.length === 0) return { plan: allowed, result: null, more: false, guard };

  // The plan is saved whole (what Roster saw); only this round's part is applied.
  // Observing writes nothing, so a next round would see the same cascade again: observe it whole.
  const more = !observe && allowed.items.length > maxChanges;
  const round = more ? { ...allowed, items: executionOrder(allowed.items).slice(0, maxChanges) } : allowed;
  const result = await executePlan(ctx, round, { guard, observe });
  return { plan: round, result, more, guard };
}

async function retryLater(ctx: RosterContext, settings: JobSettings, job: Job, error: RosterErrorData) {
  const policy = settings.retry ?? JOB_RETRY;
  const attempt = job.attempts + 1;
  // Leavers first, also when retrying: an account cascade always waits longer than the longest wait a
  // contact job can draw for the same attempt, so jitter never lets a cascade overtake a leaver.
  const contactCeiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  const delay =
    backoffDelayMs(attempt, { random: Math.random, policy }) + (job.priority > 0 ? contactCeiling : 0);
  const now = ctx.clock.now();
  return ctx.store.queue.fail(job.id, error, {
    nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
    maxAttempts: settings.maxAttempts,
    now: now.toISOString(),
  });
}
