// Roster's ownership of Docebo users, read from the journal: the latest applied change per user, plus,
// for users whose latest change is a retirement, the earlier applied retirements it may continue (so the
// pure fold can reach back to the state before Roster's first change).
import type { Kysely } from 'kysely';
import type { OwnershipRecord } from '../../domain/ownership.ts';
import { foldOwnership } from '../../planner/ownership.ts';
import { rowToJournal } from './row-mapping.ts';
import type { StoreDatabase } from './store-schema.ts';

export async function listOwnership(db: Kysely<StoreDatabase>): Promise<OwnershipRecord[]> {
  const latestIds = db
    .selectFrom('journal')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('outcome', '=', 'applied')
    .groupBy('user_id');
  const latest = await db.selectFrom('journal').selectAll().where('id', 'in', latestIds).execute();
  const retiredByRoster = db
    .selectFrom('journal')
    .select('user_id')
    .where('id', 'in', latestIds)
    .where('action', '=', 'retire');
  const earlier = await db
    .selectFrom('journal')
    .selectAll()
    .where('outcome', '=', 'applied')
    .where('action', '=', 'retire')
    .where('user_id', 'in', retiredByRoster)
    .execute();
  const rows = new Map([...earlier, ...latest].map((r) => [Number(r.id), r]));
  return foldOwnership([...rows.values()].map(rowToJournal));
}
