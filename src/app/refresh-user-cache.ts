// A full Docebo listing (200 users per call) refreshes Roster's cache of users. Done by every full plan
// and reconciliation, and once before the first event is handled. The cache is stamped with the time the
// listing began (Docebo as of then: a write made while it ran may not show), and every listing is also
// the check that the restores made since the one before took (check-restores.ts).
import type { LmsUser } from '../domain/lms.ts';
import type { RestoreNotTaken } from '../planner/restore-check.ts';
import { checkRestores } from './check-restores.ts';
import type { RosterContext } from './roster-context.ts';

type RefreshContext = Pick<RosterContext, 'lms' | 'store' | 'clock' | 'alerter' | 'telemetry'>;

export async function refreshUserCache(
  ctx: RefreshContext,
  onProgress?: (fetched: number, total: number | null) => void,
): Promise<LmsUser[]> {
  return (await listAndCheck(ctx, onProgress)).users;
}

/** The listing, and the restores it shows did not take. */
export async function listAndCheck(
  ctx: RefreshContext,
  onProgress?: (fetched: number, total: number | null) => void,
): Promise<{ users: LmsUser[]; restoresNotTaken: RestoreNotTaken[] }> {
  const { refreshedAt } = await ctx.store.users.list();
  const listingAt = ctx.clock.now().toISOString();
  const users = await ctx.lms.listUsers(onProgress);
  await ctx.store.users.replace(users, listingAt);
  return {
    users,
    restoresNotTaken: await checkRestores(ctx, users, { previousListingAt: refreshedAt, listingAt }),
  };
}
