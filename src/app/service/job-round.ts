// One round of the event path inside the service: due jobs → targeted plan → Docebo (process-jobs.ts),
// then what a person or a dashboard must learn of it: guard alerts, drift, latency, counts, a log line.
import { errorData } from '../../domain/errors.ts';
import type { Alerter } from '../../ports/alerter.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { RosterContext } from '../roster-context.ts';
import { alertGuards } from './alert-guards.ts';
import { processDueJobs, type JobSettings } from './process-jobs.ts';
import { reportDrift } from './report-drift.ts';
import type { ServiceActivity } from './service-activity.ts';

export interface RoundDeps {
  ctx: RosterContext;
  telemetry: Telemetry;
  alerter: Alerter;
  log: Logger;
  activity: ServiceActivity;
}

/** True when there were jobs (the worker then looks again at once). Never throws. */
export async function runJobRound(deps: RoundDeps, settings: JobSettings): Promise<boolean> {
  const { ctx, telemetry, log, activity } = deps;
  try {
    const r = await processDueJobs(ctx, settings, telemetry);
    if (r.jobs.length === 0) return false;
    const at = ctx.clock.now();
    activity.salesforceAnswered(at.toISOString());
    if (r.result || r.plan) activity.doceboAnswered(at.toISOString());
    activity.recordResult(r.result);
    await alertGuards(deps.alerter, r.guard, ctx.clock.now().toISOString());
    await reportDrift(ctx, deps.alerter, { planId: r.plan?.id ?? '', result: r.result });
    for (const j of r.jobs)
      telemetry.observe(
        'roster_change_latency_seconds',
        (at.getTime() - Date.parse(j.firstQueuedAt)) / 1000,
        {
          feed: j.sources[0] ?? 'unknown',
        },
      );
    log.info('jobs processed', {
      jobs: r.jobs.length,
      plan: r.plan?.id,
      changes: r.plan?.items.length ?? 0,
      run: r.result?.runId,
      applied: r.result?.applied ?? 0,
      failed: r.result?.failed ?? 0,
      jobsRetrying: r.failedJobs,
      held: r.guard.held.length,
      observed: r.result?.observed ?? 0,
    });
    return true;
  } catch (e) {
    const err = errorData(e);
    activity.roundFailed();
    log.warn('processing jobs failed; they are retried with backoff', {
      code: err.code,
      message: err.message,
    });
    return false;
  }
}
