// What the service has seen since it started: when Salesforce and Docebo last answered, changes
// applied and failed, the last reconciliation. Written by the worker's rounds, read by the health
// reporter and by status.
import type { ApplyResult } from '../../executor/apply-plan.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { ServiceStatus } from './service-status.ts';

export class ServiceActivity {
  salesforceLastOkAt: string | null = null;
  doceboLastOkAt: string | null = null;
  /** Rounds in a row where every change failed (or nothing could be planned). */
  consecutiveFailures = 0;
  readonly changes = { applied: 0, failed: 0 };
  lastReconcile: ServiceStatus['reconcile']['lastRun'] = null;

  constructor(private readonly telemetry: Telemetry) {}

  salesforceAnswered(at: string): void {
    if (at > (this.salesforceLastOkAt ?? '')) this.salesforceLastOkAt = at;
  }

  doceboAnswered(at: string): void {
    this.doceboLastOkAt = at;
  }

  recordResult(result: Pick<ApplyResult, 'applied' | 'failed'> | null): void {
    if (!result) return;
    this.changes.applied += result.applied;
    this.changes.failed += result.failed;
    this.telemetry.count('roster_changes_total', { outcome: 'applied' }, result.applied);
    this.telemetry.count('roster_changes_total', { outcome: 'failed' }, result.failed);
    this.consecutiveFailures = result.failed > 0 && result.applied === 0 ? this.consecutiveFailures + 1 : 0;
  }

  roundFailed(): void {
    this.consecutiveFailures += 1;
  }
}
