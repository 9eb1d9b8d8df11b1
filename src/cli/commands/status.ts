// `roster status`: what the running service reports (feeds, queue, budget, reconciliation), read from
// its admin API with the admin token. Exit 0 when ready, 1 when not ready or not reachable.
import type { ServiceStatus } from '../../app/service/service-status.ts';
import { loadConfig } from '../../config/load-config.ts';
import { RosterError } from '../../domain/errors.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { textTable } from '../render/text-table.ts';

export async function statusCommand(
  flags: { config: string; json?: boolean; url?: string },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const config = await loadConfig({ path: flags.config, env: ctx.env, cwd: ctx.cwd, adminApi: true });
  const token = config.serve.adminToken;
  const host = config.serve.host === '0.0.0.0' ? '127.0.0.1' : config.serve.host;
  const base = flags.url ?? `http://${host}:${config.serve.port}`;
  let status: ServiceStatus;
  try {
    const res = await fetch(new URL('/admin/status', base), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`GET /admin/status answered ${res.status}`);
    status = (await res.json()) as ServiceStatus;
  } catch (e) {
    throw new RosterError(
      'ROSTER_SERVICE_UNREACHABLE',
      `roster serve does not answer at ${base}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  if (out.json) out.printJson(status);
  else out.print(renderStatus(status, out));
  return status.ready ? EXIT.OK : EXIT.ERROR;
}

function ago(iso: string | null, now: string): string {
  if (!iso) return 'never';
  const s = Math.round((Date.parse(now) - Date.parse(iso)) / 1000);
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

export function renderStatus(s: ServiceStatus, out: Output): string {
  const st = out.style;
  const lines = [
    `${s.ready ? st.green('READY') : st.red('NOT READY')} · ${s.role === 'active' ? st.bold('active') : s.role}${s.writer ? ` · writer: ${s.writer}` : ''}`,
    ...s.problems.map((p) => `  ${st.red('•')} ${p}`),
    '',
    st.bold('Feeds'),
    ...textTable(
      [
        { header: 'FEED' },
        { header: 'STATE' },
        { header: 'HEARTBEAT' },
        { header: 'LAG' },
        { header: 'EVENTS' },
        { header: 'ERROR', max: 60 },
      ],
      s.feeds.map((f) => [
        f.feed,
        f.state,
        ago(f.lastHeartbeatAt, s.now),
        f.lagMs === null ? '–' : `${(f.lagMs / 1000).toFixed(1)}s`,
        String(f.events),
        f.error ?? '',
      ]),
    ),
    '',
    `${st.bold('Queue')}  ${s.queue.queued} queued (${s.queue.ready} due) · ${s.queue.running} running · ${s.queue.dead} dead letters`,
    `${st.bold('Docebo')} budget ${s.budget.remaining < 0 ? 'unlimited' : `${s.budget.remaining}/${s.budget.callsPerHour}`} calls left this hour · last answer ${ago(s.docebo.lastOkAt, s.now)}`,
    `${st.bold('Salesforce')} last answer ${ago(s.salesforce.lastOkAt, s.now)}${s.salesforce.apiUsage ? ` · API use ${s.salesforce.apiUsage.used}/${s.salesforce.apiUsage.max} today` : ''}`,
    `${st.bold('Reconcile')} last ${s.reconcile.lastRun ? `${ago(s.reconcile.lastRun.at, s.now)} (${s.reconcile.lastRun.status}, ${s.reconcile.lastRun.changes} changes: ${s.reconcile.lastRun.missedByFeeds} missed by the feeds, ${s.reconcile.lastRun.driftInDocebo} changed in Docebo by hand)` : 'never'} · next ${s.reconcile.nextAt ?? '–'}${s.reconcile.running ? ' · running now' : ''}`,
    `${st.bold('Changes')} since start: ${s.changes.applied} applied, ${s.changes.failed} failed`,
    `${st.bold('Held')} ${s.held ?? 0} change(s) waiting for approval${s.mode === 'observe' ? ` · ${st.yellow('observe mode: nothing is written to Docebo')}` : ''}`,
  ];
  if ((s.held ?? 0) > 0)
    lines.push(
      '',
      'Held changes wait for you: `roster approve` lists them; approve or reject with --account or --plan.',
    );
  if (s.queue.dead > 0)
    lines.push('', 'Dead letters wait for you: `roster queue --status dead`, then `roster queue retry`.');
  return lines.join('\n');
}
