// `roster audit verify` checks the hash chain and the journal against it; `roster audit export` writes
// the journal with each row's audit hash, for an auditor or a spreadsheet. Both read only the store.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openRecords } from '../../compose/open-roster.ts';
import type { AuditVerification } from '../../domain/audit.ts';
import { RosterError } from '../../domain/errors.ts';
import type { JournalEntry } from '../../domain/journal.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { toCsv, type CsvValue } from '../render/csv.ts';

const SHOWN_PROBLEMS = 10;

export async function auditVerifyCommand(
  flags: { config: string; json?: boolean },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  try {
    const v = await records.verifyAudit();
    if (out.json) out.printJson(v);
    else out.print(renderVerification(v, out));
    return v.ok ? EXIT.OK : EXIT.ERROR;
  } finally {
    await records.close();
  }
}

function renderVerification(v: AuditVerification, out: Output): string {
  const counts = `${v.checked} audit record(s) checked, ${v.journalRows} journal row(s) compared`;
  if (v.ok) return `${out.style.green('Audit log intact')}: ${counts}.`;
  const lines = [`${out.style.red('Audit log BROKEN')}: ${counts}.`];
  const first = v.firstBroken;
  if (first) {
    lines.push(
      `First broken link: seq ${first.seq === 0 ? '(none)' : first.seq}` +
        (first.journalId === null ? '' : `, journal id ${first.journalId}`),
      `  ${first.reason}`,
    );
  }
  const rest = v.problems.slice(1, SHOWN_PROBLEMS + 1);
  if (rest.length > 0) {
    lines.push('Also:');
    for (const p of rest)
      lines.push(
        `  seq ${p.seq === 0 ? '(none)' : p.seq}${p.journalId === null ? '' : ` · journal ${p.journalId}`}: ${p.reason}`,
      );
  }
  const more = v.problems.length - 1 - rest.length;
  if (more > 0) lines.push(`  … and ${more} more (--json lists up to 100)`);
  return lines.join('\n');
}

/** An ISO date or instant, as the store's text form (`toISOString()`), so text comparison is time order. */
function instantFlag(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw.trim());
  const t = new Date(raw.trim());
  if (!ok || Number.isNaN(t.getTime()))
    throw new RosterError(
      'ROSTER_REQUEST_INVALID',
      `${name} must be an ISO date or instant (e.g. 2025-03-01 or 2025-03-01T09:00:00Z), not ${JSON.stringify(raw)}`,
    );
  return t.toISOString();
}

const CSV_HEADER = [
  'journal_id',
  'at',
  'run_id',
  'plan_id',
  'action',
  'item_key',
  'docebo_user_id',
  'username',
  'contact_id',
  'account_id',
  'before_active',
  'before_expiration_date',
  'after_active',
  'after_expiration_date',
  'rules',
  'reasons',
  'outcome',
  'error_code',
  'error_message',
  'audit_seq',
  'audit_hash',
] as const;

function csvRow(e: JournalEntry, audit: { seq: number; hash: string } | undefined): CsvValue[] {
  const action = (e as { action?: string }).action ?? null;
  return [
    e.id,
    e.at,
    e.runId,
    e.planId,
    action,
    e.itemKey,
    e.userId,
    e.username,
    e.contactId,
    e.accountId,
    e.before.active,
    e.before.expirationDate,
    e.after.active,
    e.after.expirationDate,
    e.reasons.map((r) => r.rule).join(';'),
    JSON.stringify(e.reasons),
    e.outcome,
    e.error?.code ?? null,
    e.error?.message ?? null,
    audit?.seq ?? null,
    audit?.hash ?? null,
  ];
}

export async function auditExportCommand(
  flags: { config: string; since?: string; until?: string; format?: string; output?: string },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const format = flags.format ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl')
    throw new RosterError(
      'ROSTER_REQUEST_INVALID',
      `--format must be csv or jsonl, not ${JSON.stringify(format)}`,
    );
  const since = instantFlag('--since', flags.since);
  const until = instantFlag('--until', flags.until);
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  let text: string;
  let count: number;
  try {
    const rows = await records.exportJournal({
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    });
    count = rows.length;
    text =
      format === 'csv'
        ? toCsv(
            CSV_HEADER,
            rows.map((r) => csvRow(r.entry, r.audit ?? undefined)),
          )
        : rows
            .map(
              ({ entry, audit }) =>
                JSON.stringify({ ...entry, auditSeq: audit?.seq ?? null, auditHash: audit?.hash ?? null }) +
                '\n',
            )
            .join('');
  } finally {
    await records.close();
  }
  if (flags.output !== undefined) {
    const file = resolve(ctx.cwd, flags.output);
    await writeFile(file, text);
    out.note(`${count} journal row(s) written to ${file}`);
  } else if (text.length > 0) {
    out.print(text);
  }
  return EXIT.OK;
}
