// `roster doctor`: is the configuration valid, can Roster reach both systems, may it do what it must?
import { redactConfig } from '../../config/redact-config.ts';
import { openRoster } from '../../compose/open-roster.ts';
import type { AccessCheck } from '../../ports/access-check.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { textTable } from '../render/text-table.ts';
import { outboundMessageAdvice } from '../outbound-message-advice.ts';

export interface DoctorFlags {
  config: string;
  json?: boolean;
}

export async function doctorCommand(flags: DoctorFlags, out: Output, ctx: CommandContext): Promise<number> {
  const roster = await openRoster(flags.config, ctx.env, ctx.cwd);
  try {
    const checks: AccessCheck[] = [
      { name: 'config: valid', ok: true, detail: flags.config },
      {
        name: `store: ${roster.config.store.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} opened and migrated`,
        ok: true,
        detail: '',
      },
      ...(await roster.checkConnections()),
    ];
    const advice = outboundMessageAdvice(roster.config);
    if (advice) checks.push(advice);
    const healthy = checks.every((c) => c.ok);
    if (out.json) {
      out.printJson({ ok: healthy, config: redactConfig(roster.config), checks });
    } else {
      const s = out.style;
      out.print(
        textTable(
          [{ header: '' }, { header: 'CHECK' }, { header: 'DETAIL' }],
          checks.map((c) => [c.ok ? s.green('ok') : s.red('FAIL'), c.name, c.detail]),
          '',
        ).join('\n'),
      );
      out.print(
        healthy ? s.green('\nAll checks passed.') : s.red('\nSome checks failed; see DETAIL for what to do.'),
      );
    }
    return healthy ? EXIT.OK : EXIT.ERROR;
  } finally {
    await roster.close();
  }
}
