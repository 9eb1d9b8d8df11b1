// `roster demo --live`: `roster serve` runs against the simulators; the user retires a company or lets
// Charlie leave (through Salesforce's REST API, as a Salesforce user would) and watches Docebo follow
// within seconds. Without a terminal it plays the story by itself and exits.
import { createInterface } from 'node:readline/promises';
import { acmeScenario } from '../../../simulators/scenarios/acme-scenario.ts';
import { doceboAdmin, salesforceApi, type DoceboAdminUser } from '../../../simulators/sim-admin.ts';
import { addDays, isoDateOf } from '../../domain/dates.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { Output } from '../output.ts';
import { startLiveWorld, type LiveFeed, type LiveWorld } from '../live-world.ts';

const FEEDS: LiveFeed[] = ['poll', 'outbound', 'cdc'];

interface Action {
  key: string;
  label: string;
  run: (w: LiveWorld) => Promise<void>;
}

export async function demoLiveCommand(flags: { feed?: string }, out: Output): Promise<number> {
  const feeds = flags.feed ? [flags.feed as LiveFeed] : FEEDS;
  if (!feeds.every((f) => FEEDS.includes(f))) {
    out.note(`--feed must be one of ${FEEDS.join(', ')}`);
    return EXIT.ERROR;
  }
  out.note('Starting the simulators and roster serve…');
  const world = await startLiveWorld({ scenario: acmeScenario(), feeds, pollInterval: '2s' });
  const today = isoDateOf(new Date(), 'UTC');
  const api = salesforceApi(world.sfUrl);
  const actions: Action[] = [
    {
      key: '1',
      label: `Charlie Brown leaves ACME (Left_Date__c = ${addDays(today, -1)})`,
      run: (w) => api.update('Contact', w.ids.charlie as string, { Left_Date__c: addDays(today, -1) }),
    },
    {
      key: '2',
      label: `ACME is retired (Status__c = Inactive, Retired_Date__c = ${today})`,
      run: (w) =>
        api.update('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: today }),
    },
    {
      key: '3',
      label: `Globex retires on ${addDays(today, 30)} (its learners keep access until then)`,
      run: (w) =>
        api.update('Account', w.ids['co-0'] as string, {
          Status__c: 'Inactive',
          Retired_Date__c: addDays(today, 30),
        }),
    },
  ];
  try {
    out.print(
      [
        out.style.bold('Roster live demo'),
        `roster serve   ${world.roster.url}  (feeds: ${feeds.join(', ')}; try ${world.roster.url}/metrics)`,
        `Salesforce     ${world.sfUrl}`,
        `Docebo         ${world.doceboUrl}`,
        `Config         ${world.configFile}`,
        '',
      ].join('\n'),
    );
    await waitUntilQuiet(world);
    if (!out.terminal) {
      // Scripted: the story plays by itself.
      for (const a of actions.slice(0, 2)) if (!(await act(world, a, out))) return EXIT.ERROR;
      return EXIT.OK;
    }
    const rl = createInterface({ input: out.terminal.input, output: out.terminal.output });
    try {
      for (;;) {
        const menu = actions.map((a) => `  [${a.key}] ${a.label}`).join('\n');
        const answer = (await rl.question(`\n${menu}\n  [q] quit\n> `)).trim().toLowerCase();
        if (answer === 'q' || answer === '') break;
        const action = actions.find((a) => a.key === answer);
        if (action) await act(world, action, out);
      }
    } finally {
      rl.close();
    }
    return EXIT.OK;
  } finally {
    await world.stop();
  }
}

/** Writes to Salesforce, then prints each Docebo user change as the service makes it. */
async function act(world: LiveWorld, action: Action, out: Output): Promise<boolean> {
  const before = snapshot(await doceboAdmin(world.doceboUrl).users());
  out.print(`\n${out.style.bold('Salesforce:')} ${action.label}`);
  const started = Date.now();
  await action.run(world);
  let changed = 0;
  let lastChangeAt = 0;
  while (Date.now() - started < 30_000) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await doceboAdmin(world.doceboUrl).users();
    for (const u of now) {
      const was = before.get(u.username);
      if (!was || (was.active === u.active && was.expiration_date === u.expiration_date)) continue;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      out.print(
        `  +${secs}s  ${u.username.padEnd(36)} ${was.active ? 'active' : 'inactive'} → ${u.active ? 'active' : 'inactive'}, expires ${u.expiration_date ?? '–'}`,
      );
      before.set(u.username, u);
      changed += 1;
      lastChangeAt = Date.now();
    }
    if (changed > 0 && Date.now() - lastChangeAt > 3000) break;
  }
  out.print(
    changed > 0
      ? out.style.green(`  Docebo followed: ${changed} user(s) changed.`)
      : out.style.red('  Nothing changed in Docebo within 30 s.'),
  );
  return changed > 0;
}

function snapshot(users: DoceboAdminUser[]): Map<string, DoceboAdminUser> {
  return new Map(users.map((u) => [u.username, u]));
}

/** The start-up reconciliation runs first; the story starts once it is done. */
async function waitUntilQuiet(world: LiveWorld): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const s = await world.roster.service.status();
    if (s.reconcile.lastRun && !s.reconcile.running) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
