// `roster demo`: the whole story on embedded defaults. Both simulators start on free loopback ports,
// seeded with ACME (Charlie Brown and colleagues) among several hundred contacts at other companies;
// Roster runs with a real roster.yaml and a real SQLite file in a temporary folder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDoceboSimulator } from '../../../simulators/docebo/index.ts';
import { startSalesforceSimulator } from '../../../simulators/salesforce/index.ts';
import { acmeScenario } from '../../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, isWriteCall, salesforceAdmin } from '../../../simulators/sim-admin.ts';
import { addDays, isoDateOf } from '../../domain/dates.ts';
import type { Plan } from '../../domain/plan.ts';
import type { ApplyResult } from '../../executor/apply-plan.ts';
import { demoConfigYaml } from '../../config/demo-config.ts';
import { loadConfig } from '../../config/load-config.ts';
import { createRoster, type Roster } from '../../compose/open-roster.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';
import { makeProgress } from '../progress.ts';
import { renderApplyResult } from '../render/render-apply-result.ts';
import { renderPlan } from '../render/render-plan.ts';
import { textTable } from '../render/text-table.ts';

export interface DemoFlags {
  json?: boolean;
  keep?: boolean;
}

interface DemoStep {
  title: string;
  plan: Plan;
  result: ApplyResult | null;
}

export async function demoCommand(flags: DemoFlags, out: Output, ctx: CommandContext): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-demo-'));
  const sf = await startSalesforceSimulator({ port: 0, quiet: true });
  const docebo = await startDoceboSimulator({ port: 0, quiet: true });
  let roster: Roster | undefined;
  try {
    const scenario = acmeScenario();
    const { ids } = await salesforceAdmin(sf.url).seed(scenario);
    await doceboAdmin(docebo.url).seed(scenario.users);

    const configFile = join(dir, 'roster.yaml');
    await writeFile(
      configFile,
      demoConfigYaml({ sfUrl: sf.url, doceboUrl: docebo.url, store: `sqlite:${join(dir, 'roster.db')}` }),
    );
    const config = await loadConfig({ path: configFile, env: ctx.env, cwd: dir });
    roster = await createRoster(config);
    const ready = roster;
    const today = isoDateOf(ready.now(), config.docebo.timezone);
    const steps: DemoStep[] = [];
    const perAccount = 15;

    const heading = (text: string) => {
      if (!out.json) out.print(`\n${out.style.bold(`━━ ${text} ━━`)}\n`);
    };
    const planStep = async (title: string, apply: boolean): Promise<DemoStep> => {
      heading(title);
      const progress = makeProgress(out);
      try {
        if (!apply) {
          const plan = await ready.plan(progress.report);
          progress.stop();
          if (!out.json) out.print(renderPlan(plan, out.style, { perAccount }));
          return { title, plan, result: null };
        }
        const { plan, result } = await ready.apply({
          progress: progress.report,
          confirm: async (p) => {
            progress.stop();
            if (!out.json) out.print(renderPlan(p, out.style, { perAccount }));
            return true;
          },
        });
        progress.stop();
        if (!out.json) out.print(result ? renderApplyResult(result, out.style) : renderPlan(plan, out.style));
        return { title, plan, result };
      } finally {
        progress.stop();
      }
    };

    if (!out.json)
      out.print(
        [
          out.style.bold('Roster demo'),
          `Salesforce simulator ${sf.url} · Docebo simulator ${docebo.url}`,
          `Config ${configFile} · ${scenario.contacts.length} contacts, ${scenario.users.length} Docebo users`,
        ].join('\n'),
      );

    steps.push(await planStep('1. Everyone is in step: the plan is empty', false));

    const left = addDays(today, -3);
    await salesforceAdmin(sf.url).update('Contact', need(ids, 'charlie'), { Left_Date__c: left });
    steps.push(
      await planStep(`2. Charlie Brown leaves ACME on ${left}; ACME stays active — only he is retired`, true),
    );

    const retired = addDays(today, -1);
    const later = addDays(today, 30);
    await salesforceAdmin(sf.url).update('Account', need(ids, 'acme'), {
      Status__c: 'Inactive',
      Retired_Date__c: retired,
    });
    await salesforceAdmin(sf.url).update('Account', need(ids, 'co-0'), {
      Status__c: 'Inactive',
      Retired_Date__c: later,
    });
    steps.push(
      await planStep(
        `3. ACME is retired from ${retired}; Globex retires on ${later} (stays active until then)`,
        true,
      ),
    );

    heading('4. In Docebo now (ACME, and the first Globex learners)');
    const users = await doceboAdmin(docebo.url).users();
    const shown = users.filter((u) => u.username.endsWith('@acme.example'));
    shown.push(...users.filter((u) => u.username.endsWith('@globex.example')).slice(0, 4));
    if (!out.json)
      out.print(
        textTable(
          [{ header: 'DOCEBO USER', max: 40 }, { header: 'ACTIVE' }, { header: 'EXPIRES' }],
          shown.map((u) => [u.username, u.active ? 'yes' : 'no', u.expiration_date ?? '–']),
        ).join('\n'),
      );

    await doceboAdmin(docebo.url).clearCalls();
    const again = await planStep('5. A second run finds nothing left to do', true);
    steps.push(again);
    const calls = await doceboAdmin(docebo.url).calls();
    const writes = calls.filter(isWriteCall).length;
    if (!out.json)
      out.print(
        `\nDocebo calls in the second run: ${calls.length} (${writes} writes). ` +
          (flags.keep
            ? `The journal is in ${join(dir, 'roster.db')}.`
            : 'Run `npm run demo -- --keep` to keep the simulators, config and journal.'),
      );

    if (out.json)
      out.printJson({
        simulators: { salesforce: sf.url, docebo: docebo.url },
        config: configFile,
        steps: steps.map((s) => ({
          title: s.title,
          plan: s.plan,
          result: s.result && {
            runId: s.result.runId,
            status: s.result.status,
            applied: s.result.applied,
            failed: s.result.failed,
          },
        })),
        docebo: shown,
        secondRun: { calls: calls.length, writes },
      });

    if (flags.keep) {
      out.note(`\nSimulators keep running. Try: roster plan -c ${configFile}\nPress Ctrl-C to stop.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    const failed = steps.some((s) => (s.result?.failed ?? 0) > 0);
    return failed || writes > 0 || again.plan.items.length > 0 ? EXIT.ERROR : EXIT.OK;
  } finally {
    await roster?.close();
    await Promise.all([sf.close(), docebo.close()]);
    if (!flags.keep) await rm(dir, { recursive: true, force: true });
  }
}

function need(ids: Record<string, string>, ref: string): string {
  const id = ids[ref];
  if (!id) throw new Error(`the demo scenario has no record "${ref}"`);
  return id;
}
