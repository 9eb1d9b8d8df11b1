// `roster queue [--status S]` lists the work queue; `roster queue retry [ID…]` puts dead letters back.
// Both read the store directly, so they work whether or not `roster serve` is running.
import { openRecords } from '../../compose/open-roster.ts';
import type { JobStatus } from '../../domain/work.ts';
import { RosterError } from '../../domain/errors.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { textTable } from '../render/text-table.ts';

const STATUSES: JobStatus[] = ['queued', 'running', 'dead'];

export async function queueCommand(
  flags: { config: string; json?: boolean; status?: string; limit?: string },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const status = flags.status as JobStatus | undefined;
  if (status && !STATUSES.includes(status))
    throw new RosterError('ROSTER_REQUEST_INVALID', `--status must be one of ${STATUSES.join(', ')}`);
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const { stats, jobs } = await records.queue({ status, limit: Number(flags.limit ?? 100) });
    if (out.json) {
      out.printJson({ stats, jobs });
      return EXIT.OK;
    }
    out.print(
      `${stats.queued} queued (${stats.ready} due) · ${stats.running} running · ${stats.dead} dead letters`,
    );
    if (jobs.length > 0)
      out.print(
        textTable(
          [
            { header: 'ID' },
            { header: 'STATUS' },
            { header: 'KIND' },
            { header: 'SALESFORCE ID' },
            { header: 'ATTEMPTS' },
            { header: 'DUE' },
            { header: 'SOURCES' },
            { header: 'LAST ERROR', max: 70 },
          ],
          jobs.map((j) => [
            String(j.id),
            j.status,
            j.kind,
            j.key,
            String(j.attempts),
            j.nextAttemptAt,
            j.sources.join(','),
            j.lastError ? `${j.lastError.code}: ${j.lastError.message}` : '',
          ]),
        ).join('\n'),
      );
    return EXIT.OK;
  } finally {
    await records.close();
  }
}

export async function queueRetryCommand(
  ids: string[],
  flags: { config: string; json?: boolean },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const parsed = ids.map(Number);
  if (parsed.some((n) => !Number.isInteger(n) || n <= 0))
    throw new RosterError(
      'ROSTER_REQUEST_INVALID',
      'job ids are whole numbers, as `roster queue` lists them',
    );
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const revived = await records.retryDead(parsed.length > 0 ? parsed : undefined);
    if (out.json) out.printJson({ revived });
    else out.print(`${revived} dead letter(s) queued again; a running \`roster serve\` picks them up.`);
    return EXIT.OK;
  } finally {
    await records.close();
  }
}
