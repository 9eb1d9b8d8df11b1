// Apply runs over Kysely. Finishing is a conditional update: a run finishes once, from `running`.
import type { Kysely } from 'kysely';
import { RosterError } from '../../domain/errors.ts';
import type { Run, RunStatus } from '../../domain/journal.ts';
import type { RunLog } from '../../ports/store.ts';
import { rowToRun, runToRow } from './row-mapping.ts';
import type { StoreDatabase } from './store-schema.ts';

const FINISHED_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'partially-failed',
  'failed',
  'interrupted',
];

export class KyselyRuns implements RunLog {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async start(run: Run): Promise<void> {
    await this.db.insertInto('runs').values(runToRow(run)).execute();
  }

  async finish(id: string, status: RunStatus, summary: Record<string, number>): Promise<void> {
    if (!FINISHED_RUN_STATUSES.includes(status))
      throw new RosterError('ROSTER_STORE_CONFLICT', `A run cannot finish as ${status}.`);
    const result = await this.db
      .updateTable('runs')
      .set({ status, summary: JSON.stringify(summary), finished_at: this.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return;
    const current = await this.db.selectFrom('runs').select('status').where('id', '=', id).executeTakeFirst();
    if (!current) throw new RosterError('ROSTER_INTERNAL', `No run ${id} to finish.`);
    throw new RosterError('ROSTER_STORE_CONFLICT', `Run ${id} is already ${current.status}.`, {
      details: { runId: id, from: current.status, to: status },
    });
  }

  async list(limit: number): Promise<Run[]> {
    if (limit <= 0) return [];
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.floor(limit))
      .execute();
    return rows.map(rowToRun);
  }

  async markInterrupted(): Promise<number> {
    const result = await this.db
      .updateTable('runs')
      .set({ status: 'interrupted', finished_at: this.now().toISOString() })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
