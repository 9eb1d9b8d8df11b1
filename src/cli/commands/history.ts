// `roster history <email | contact id | docebo user id>`: one person's story, from the store alone.
import { openRecords } from '../../compose/open-roster.ts';
import type { HistoryEvent, PersonHistory } from '../../app/person-history.ts';
import { canonicalJson } from '../../domain/audit.ts';
import { RosterError } from '../../domain/errors.ts';
import type { AccessState } from '../../domain/lms.ts';
import type { Reason } from '../../domain/plan.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { describeReason } from '../render/render-plan.ts';
import type { Style } from '../render/style.ts';

export async function historyCommand(
  who: string,
  flags: { config: string; json?: boolean },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  if (who.trim() === '')
    throw new RosterError(
      'ROSTER_REQUEST_INVALID',
      'name a person: an email, a contact id or a Docebo user id',
    );
  const records = await openRecords(flags.config, ctx.env, ctx.cwd);
  let history: PersonHistory;
  try {
    history = await records.history(who);
  } finally {
    await records.close();
  }
  if (out.json) out.printJson(history);
  else out.print(renderHistory(history, out.style));
  return history.found ? EXIT.OK : EXIT.ERROR;
}

const access = (s: AccessState) => `${s.active ? 'active' : 'inactive'}, expires ${s.expirationDate ?? '–'}`;

function change(before: AccessState, after: AccessState): string {
  const parts: string[] = [];
  const word = (a: boolean) => (a ? 'active' : 'inactive');
  if (before.active !== after.active) parts.push(`${word(before.active)} → ${word(after.active)}`);
  if (before.expirationDate !== after.expirationDate)
    parts.push(`expiration ${before.expirationDate ?? '–'} → ${after.expirationDate ?? '–'}`);
  return parts.length > 0 ? parts.join(', ') : `no change (${access(after)})`;
}

const PAD = ' '.repeat(26);

function renderEvent(e: HistoryEvent, style: Style): string[] {
  const when = e.at.padEnd(24);
  const because = (reasons: Reason[]) =>
    reasons.length > 0 ? [`${PAD}because ${reasons.map(describeReason).join('; ')}`] : [];
  switch (e.type) {
    case 'planned': {
      const repeated =
        e.repeats > 1 ? ` (same decision in ${e.repeats} plans, last ${e.lastPlanId} at ${e.lastAt})` : '';
      const drift = e.drift ? style.yellow(' DRIFT: reactivated in Docebo while a rule holds;') : '';
      return [
        `${when}  ${style.bold('decided')}  ${e.action}${drift} ${e.username} (Docebo ${e.userId}): ${change(e.before, e.after)}`,
        `${PAD}plan ${e.planId} (${e.planStatus}) for ${e.today}${repeated}`,
        ...because(e.reasons),
      ];
    }
    case 'unmatched':
    case 'ambiguous':
      return [
        `${when}  ${style.yellow(e.type)}  ${e.contact.name} (${e.contact.id}): ${e.detail} — nothing written`,
        `${PAD}plan ${e.planId}`,
        ...because(e.reasons),
      ];
    case 'wrote': {
      const outcome =
        e.outcome === 'applied'
          ? style.green('applied')
          : e.outcome === 'failed'
            ? style.red('failed')
            : style.yellow(e.outcome);
      return [
        `${when}  ${style.bold('wrote')}    ${e.action} ${e.username} (Docebo ${e.userId}): ${change(e.before, e.after)} — ${outcome}`,
        `${PAD}journal #${e.journalId} · run ${e.runId} · plan ${e.planId}`,
        ...(e.error ? [`${PAD}${style.red(`${e.error.code}: ${e.error.message}`)}`] : []),
        ...because(e.reasons),
      ];
    }
    case 'audit': {
      const via = e.via === 'person' ? '' : ` (for the ${e.via})`;
      return [
        `${when}  ${style.bold(e.kind)}  ${e.ref}${via} · audit seq ${e.seq}`,
        `${PAD}${canonicalJson(e.payload)}`,
      ];
    }
  }
}

export function renderHistory(h: PersonHistory, style: Style): string {
  if (!h.found)
    return `Roster's store has nothing about ${JSON.stringify(h.query)} (tried it as an email, a username, a contact id and a Docebo user id).`;
  const title = [...h.names, ...h.emails].join(' · ') || h.query;
  const lines = [style.bold(`History of ${title}`)];
  lines.push(`  Salesforce contact(s): ${h.contactIds.join(', ') || '–'}`);
  lines.push(`  Docebo user(s):        ${h.userIds.join(', ') || '–'}`);
  for (const l of h.links)
    lines.push(
      `  Linked:                contact ${l.contactId} ↔ Docebo ${l.userId}, by ${l.matchedOn} on ${l.linkedAt}`,
    );
  for (const d of h.docebo)
    lines.push(
      `  Docebo now:            ${d.user.username}: ${access(d.user)}${d.cachedAt ? ` (user cache of ${d.cachedAt})` : ''}`,
    );
  lines.push('');
  if (h.events.length === 0) lines.push('  Roster has not decided or written anything for this person.');
  for (const e of h.events) lines.push(...renderEvent(e, style));
  return lines.join('\n');
}
