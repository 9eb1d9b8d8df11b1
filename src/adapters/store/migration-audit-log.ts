// Migration 0003: the hash-chained audit log (issue #4). Journal rows written before it are recorded as
// they stand now, so an upgraded store verifies from the day of the upgrade on.
import { sql, type Kysely, type Migration } from 'kysely';
import { chainRecords } from '../../domain/audit.ts';
import type { StoreDatabase } from './store-schema.ts';

type Db = Kysely<unknown>;

export function auditLog(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_ref').on('audit_log').column('ref').execute();
      const rows = await sql<Record<string, string | number | null>>`
        select id, run_id, plan_id, item_key, at, user_id, username, contact_id, account_id, before,
               after, reasons, outcome, error
        from journal order by id`.execute(db);
      const json = (v: unknown) => (v === null ? null : (JSON.parse(String(v)) as unknown));
      const records = rows.rows.map((r) => ({
        kind: 'journal',
        ref: `journal:${Number(r.id)}`,
        payload: {
          id: Number(r.id),
          runId: r.run_id,
          planId: r.plan_id,
          itemKey: r.item_key,
          at: r.at,
          userId: r.user_id,
          username: r.username,
          contactId: r.contact_id,
          accountId: r.account_id,
          before: json(r.before),
          after: json(r.after),
          reasons: json(r.reasons),
          outcome: r.outcome,
          error: json(r.error),
        },
      }));
      const chained = chainRecords(null, records, new Date().toISOString());
      for (let i = 0; i < chained.length; i += 500) {
        const part = chained.slice(i, i + 500).map((c) => ({
          seq: c.seq,
          at: c.at,
          kind: c.kind,
          ref: c.ref,
          payload: JSON.stringify(c.payload),
          prev_hash: c.prevHash,
          hash: c.hash,
        }));
        await (db as unknown as Kysely<StoreDatabase>).insertInto('audit_log').values(part).execute();
      }
      const last = chained[chained.length - 1];
      if (last)
        await sql`insert into store_meta (key, value)
                  values ('audit_head', ${JSON.stringify({ seq: last.seq, hash: last.hash })})`.execute(db);
    },
  };
}
