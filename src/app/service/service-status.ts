// What `roster status`, GET /admin/status and /readyz report about a running service.
import type { FeedHealth, QueueStats } from '../../domain/work.ts';

export interface ServiceStatus {
  /** active: holds the writer lease (feeds, worker, schedule); standby: ready to take over. */
  role: 'starting' | 'active' | 'standby' | 'stopped';
  /** Who holds the writer lease (this instance when active), or null when nobody does. */
  writer: string | null;
  startedAt: string;
  now: string;
  /** Ready = store reachable, every enabled feed healthy, Salesforce and Docebo answered recently. */
  ready: boolean;
  /** Why not ready (or what needs attention), one line each. */
  problems: string[];
  feeds: FeedHealth[];
  queue: QueueStats;
  budget: { callsPerHour: number; remaining: number; spentSinceStart: number };
  salesforce: { lastOkAt: string | null; apiUsage: { used: number; max: number } | null };
  docebo: { lastOkAt: string | null };
  reconcile: {
    lastRun: {
      runId: string | null;
      at: string;
      status: string;
      changes: number;
      /** Changes whose Docebo side was as Roster believed: Salesforce moved and no feed said so. */
      missedByFeeds: number;
      /** Changes where Docebo was not as Roster left it: someone changed it out of band. */
      driftInDocebo: number;
    } | null;
    nextAt: string | null;
    running: boolean;
  };
  changes: { applied: number; failed: number };
  /** Changes the guards hold until someone approves or rejects them (`roster approve`). */
  held: number;
  /** observe: decisions are journaled as `observed` and nothing is written to Docebo. */
  mode: 'enforce' | 'observe';
}
