// When the next full reconciliation is due, from a five-field cron expression in a timezone.
import { CronExpressionParser } from 'cron-parser';
import { RosterError } from '../../domain/errors.ts';
import type { Schedule } from '../../ports/schedule.ts';

export function cronSchedule(expression: string, timezone: string): Schedule {
  const parse = (after: Date) => CronExpressionParser.parse(expression, { currentDate: after, tz: timezone });
  try {
    parse(new Date());
  } catch (e) {
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `reconcile.schedule "${expression}" is not a cron expression: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
        details: [{ path: 'reconcile.schedule', message: 'expected five cron fields, e.g. "0 3 * * *"' }],
      },
    );
  }
  return {
    description: `${expression} (${timezone})`,
    next: (after) => parse(after).next().toDate(),
  };
}
