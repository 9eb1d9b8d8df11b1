// The warning `roster apply` prints when its listing shows earlier restores that did not take.
import type { RestoreNotTaken } from '../../planner/restore-check.ts';
import type { Style } from './style.ts';

const MAX_SHOWN = 20;

export function renderRestoresNotTaken(found: RestoreNotTaken[], style: Style): string {
  const lines = found.slice(0, MAX_SHOWN).map((r) => {
    const what = [
      r.stillInactive ? 'still inactive' : '',
      r.expirationStillSet ? `expires ${r.found.expirationDate}` : '',
    ]
      .filter((w) => w)
      .join(', ');
    return `  ${r.record.username} (${r.record.userId}): ${what} — restored by ${r.record.runId}`;
  });
  if (found.length > MAX_SHOWN) lines.push(`  … and ${found.length - MAX_SHOWN} more (roster audit)`);
  const dates = found.some((r) => r.expirationStillSet);
  return [
    style.yellow(
      `Warning: ${found.length} earlier restore(s) did not take in Docebo, although Docebo reported them done:`,
    ),
    ...lines,
    dates
      ? '  Docebo may ignore an empty expiration_date: try docebo.clearExpirationWith: null, and fix these users by hand in Docebo.'
      : '  Fix these users by hand in Docebo.',
  ].join('\n');
}
