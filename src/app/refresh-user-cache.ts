// A full Docebo listing (200 users per call) refreshes Roster's cache of users. Done by every full plan
// and reconciliation, and once before the first event is handled.
import type { LmsUser } from '../domain/lms.ts';
import type { RosterContext } from './roster-context.ts';

export async function refreshUserCache(
  ctx: Pick<RosterContext, 'lms' | 'store' | 'clock'>,
  onProgress?: (fetched: number, total: number | null) => void,
): Promise<LmsUser[]> {
  const users = await ctx.lms.listUsers(onProgress);
  await ctx.store.users.replace(users, ctx.clock.now().toISOString());
  return users;
}
