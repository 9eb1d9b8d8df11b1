// The cache of Docebo users over Kysely.
import type { Kysely } from 'kysely';
import type { AccessState, LmsUser } from '../../domain/lms.ts';
import type { LmsUserCache } from '../../ports/lms-user-cache.ts';
import { rowToUser, userToRow } from './row-mapping.ts';
import type { StoreDatabase } from './store-schema.ts';
import { chunk, instant } from './store-transactions.ts';

const REFRESHED_AT = 'lms_users.refreshed_at';

/** The last item per key: a listing that paged over a moving set may return a user twice. */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

export class KyselyUserCache implements LmsUserCache {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async replace(users: LmsUser[], at: string): Promise<void> {
    const cachedAt = instant(at);
    const rows = lastByKey(users, (u) => u.id).map((u) => userToRow(u, cachedAt));
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('lms_users').execute();
      for (const part of chunk(rows)) await trx.insertInto('lms_users').values(part).execute();
      await trx
        .insertInto('store_meta')
        .values({ key: REFRESHED_AT, value: cachedAt })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: cachedAt }))
        .execute();
    });
  }

  async list(): Promise<{ users: LmsUser[]; refreshedAt: string | null }> {
    // One transaction, so the stamp belongs to the listing (on SQLite; PostgreSQL reads each committed).
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('lms_users').selectAll().orderBy('user_id').execute();
      const meta = await trx
        .selectFrom('store_meta')
        .select('value')
        .where('key', '=', REFRESHED_AT)
        .executeTakeFirst();
      return { users: rows.map(rowToUser), refreshedAt: meta?.value ?? null };
    });
  }

  async updateAccess(updates: { userId: string; state: AccessState }[]): Promise<void> {
    // Retiring a company writes one state to many users: one statement per distinct state, not per user.
    const byState = new Map<string, { state: AccessState; userIds: string[] }>();
    for (const u of lastByKey(updates, (x) => x.userId)) {
      const ref = `${u.state.active}|${u.state.expirationDate ?? ''}`;
      const group = byState.get(ref) ?? { state: u.state, userIds: [] };
      group.userIds.push(u.userId);
      byState.set(ref, group);
    }
    await this.db.transaction().execute(async (trx) => {
      for (const { state, userIds } of byState.values()) {
        for (const part of chunk(userIds)) {
          await trx
            .updateTable('lms_users')
            .set({ active: state.active ? 1 : 0, expiration_date: state.expirationDate })
            .where('user_id', 'in', part)
            .execute();
        }
      }
    });
  }
}
