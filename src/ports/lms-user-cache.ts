import type { AccessState, LmsUser } from '../domain/lms.ts';

/**
 * What Roster last knew of Docebo's users. Refreshed in full by every full listing (plan, reconcile) and
 * kept current by Roster's own writes, so the event path needs no per-user Docebo reads; drift made in
 * Docebo by hand is caught by the next reconciliation.
 */
export interface LmsUserCache {
  /** Replaces the whole cache with a complete listing. */
  replace(users: LmsUser[], at: string): Promise<void>;
  list(): Promise<{ users: LmsUser[]; refreshedAt: string | null }>;
  /** Records states Roster wrote successfully. */
  updateAccess(updates: { userId: string; state: AccessState }[]): Promise<void>;
}
