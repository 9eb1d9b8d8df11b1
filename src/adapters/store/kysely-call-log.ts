// The Docebo call log over Kysely. It only has to remember the
// budget's window (an hour), so recording prunes what is older than twice that.
import type { Kysely } from 'kysely';
import type { CallLog } from '../../ports/call-log.ts';
import type { StoreDatabase } from './store-schema.ts';
import { chunk, instant } from './store-transactions.ts';

export const CALL_LOG_RETENTION_MS = 2 * 60 * 60 * 1000;

export class KyselyCallLog implements CallLog {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async record(target: 'docebo', at: string[]): Promise<void> {
    if (at.length === 0) return;
    const instants = at.map(instant);
    // Pruned relative to the calls themselves, not the wall clock, so virtual time (tests, ROSTER_NOW)
    // keeps its own window.
    const latest = instants.reduce((a, b) => (a >= b ? a : b));
    const cutoff = new Date(new Date(latest).getTime() - CALL_LOG_RETENTION_MS).toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(instants)) {
        await trx
          .insertInto('call_log')
          .values(part.map((t) => ({ target, at: t })))
          .execute();
      }
      await trx.deleteFrom('call_log').where('target', '=', target).where('at', '<', cutoff).execute();
    });
  }

  async recent(target: 'docebo', since: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('call_log')
      .select('at')
      .where('target', '=', target)
      .where('at', '>=', instant(since))
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.at);
  }
}
