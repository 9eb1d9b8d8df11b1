// Everything a use case needs, constructed once by the composition root (src/compose/).
import type { ContactQuery } from '../domain/crm.ts';
import type { RetireMode } from '../domain/plan.ts';
import type { GuardLimits } from '../planner/guards.ts';
import type { MatchKey } from '../planner/match-contacts.ts';
import type { RuleSpec } from '../planner/reasons.ts';
import type { Alerter } from '../ports/alerter.ts';
import type { Clock } from '../ports/clock.ts';
import type { CrmSource } from '../ports/crm-source.ts';
import type { LmsTarget } from '../ports/lms-target.ts';
import type { Store } from '../ports/store.ts';
import type { Telemetry } from '../ports/telemetry.ts';

export interface RosterSettings {
  mode: RetireMode;
  /** The Docebo platform's timezone: "today" is the platform's today, since Docebo expires users by it. */
  timezone: string;
  batchSize: number;
  matchKeys: MatchKey[];
  rules: RuleSpec[];
  query: ContactQuery;
  /** Blast-radius limits (roster.yaml `guards:`); absent = no guard (tests that build a context by hand). */
  guards?: GuardLimits;
}

export interface RosterContext {
  crm: CrmSource;
  lms: LmsTarget;
  store: Store;
  clock: Clock;
  newId: (prefix: 'plan' | 'run' | 'request') => string;
  settings: RosterSettings;
  /** Checked before every Docebo batch: throws when this process no longer holds the writer lease. */
  fence?: () => Promise<void>;
  /** Where a use case tells a person what it found on the way (a restore that did not take); optional. */
  alerter?: Alerter;
  telemetry?: Telemetry;
}

/** Long steps report progress: `total` is null while unknown. */
export type ProgressReporter = (
  step: 'salesforce' | 'docebo' | 'apply',
  done: number,
  total: number | null,
) => void;
