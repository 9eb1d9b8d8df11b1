// A plan kept in the store for review, and where it stands in its life.
import type { Plan } from './plan.ts';

export type PlanStatus =
  'draft' | 'approved' | 'applying' | 'applied' | 'partially-applied' | 'failed' | 'superseded';

export const PLAN_STATUSES: readonly PlanStatus[] = [
  'draft',
  'approved',
  'applying',
  'applied',
  'partially-applied',
  'failed',
  'superseded',
];

/** A stored plan and where it stands. */
export interface StoredPlan {
  plan: Plan;
  status: PlanStatus;
}
