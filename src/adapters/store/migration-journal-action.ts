// Migration 0004: journal entries say what a change was for; every entry written before this
// migration was a retirement.
import { sql, type Kysely, type Migration } from 'kysely';

type Db = Kysely<unknown>;

export const journalAction: Migration = {
  async up(db: Db) {
    await db.schema
      .alterTable('journal')
      .addColumn('action', 'text', (c) =>
        c
          .notNull()
          .defaultTo('retire')
          .check(sql`action in ('retire', 'restore', 'undo')`),
      )
      .execute();
  },
};
