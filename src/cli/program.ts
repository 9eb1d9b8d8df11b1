// The roster command line as a function: argv in, exit code out, every byte through the given io. The
// process entry (main.ts) runs it for the real process; tests run it in-process. Each command lives in
// commands/<name>.ts, is loaded only when it runs, and returns its exit code.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, isRosterError } from '../domain/errors.ts';
import { EXIT } from '../domain/exit-codes.ts';
import type { CliIo } from './cli-io.ts';
import { makeOutput, printError, type Output } from './output.ts';

const configOption = ['-c, --config <file>', 'configuration file', 'roster.yaml'] as const;

/** Runs `roster <argv…>` (argv without the node and script paths) and returns its exit code. */
export async function runRoster(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.OK;
  const run = async (action: (out: Output) => Promise<number>, json?: boolean): Promise<void> => {
    const out = makeOutput(io, { json });
    try {
      code = await action(out);
    } catch (e) {
      printError(out, e);
      code = isRosterError(e) ? exitCodeOf(e.code) : EXIT.ERROR;
    }
  };
  try {
    await buildProgram(io, run).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    // Help, usage errors and unknown commands: commander has already said what it had to say.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    printError(makeOutput(io, {}), e);
    return EXIT.ERROR;
  }
}

type Run = (action: (out: Output) => Promise<number>, json?: boolean) => Promise<void>;

/** A fresh program per run: commander keeps parsed options on its commands. */
function buildProgram(io: CliIo, run: Run): Command {
  const program = new Command('roster')
    .description(
      'Keeps Docebo in step with Salesforce: retires the learners of retired companies and leavers.',
    )
    // Set before any subcommand exists: subcommands inherit them.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .showHelpAfterError()
    .exitOverride();

  program
    .command('plan')
    .description(
      'show which Docebo users would change, and why (exit 0: nothing to do, 2: changes, 1: error)',
    )
    .option(...configOption)
    .option('--json', 'print the plan as JSON')
    .option('--all', 'list every user (by default 25 per account)')
    .action((flags) =>
      run(async (out) => (await import('./commands/plan.ts')).planCommand(flags, out, io), flags.json),
    );

  program
    .command('apply')
    .description('recompute the plan, confirm, and apply it to Docebo (exit 4 if some changes failed)')
    .option(...configOption)
    .option('-y, --yes', 'apply without asking (for scripts)')
    .option('--json', 'print the plan and the outcome as JSON')
    .option('--all', 'list every user (by default 25 per account)')
    .action((flags) =>
      run(async (out) => (await import('./commands/apply.ts')).applyCommand(flags, out, io), flags.json),
    );

  program
    .command('doctor')
    .description('check the configuration, both connections and the permissions Roster needs')
    .option(...configOption)
    .option('--json', 'print the checks as JSON')
    .action((flags) =>
      run(async (out) => (await import('./commands/doctor.ts')).doctorCommand(flags, out, io), flags.json),
    );

  program
    .command('demo')
    .description('run the whole story against built-in simulators: ACME retired, Charlie Brown leaves')
    .option('--json', 'print each step as JSON')
    .option('--keep', 'keep the simulators running after the demo until Ctrl-C')
    .option('--live', 'run roster serve against the simulators and watch changes flow within seconds')
    .option('--feed <feed>', 'with --live: only this feed (poll, outbound or cdc)')
    .action((flags) =>
      // The simulators load only for the commands that run them.
      run(
        async (out) =>
          flags.live
            ? (await import('./commands/demo-live.ts')).demoLiveCommand(flags, out)
            : (await import('./commands/demo.ts')).demoCommand(flags, out, io),
        flags.json,
      ),
    );

  program
    .command('serve')
    .description(
      'run continuously: change feeds, durable queue, reconciliation, health, metrics and admin API',
    )
    .option(...configOption)
    .action((flags) =>
      run(async (out) => (await import('./commands/serve.ts')).serveCommand(flags, out, io)),
    );

  program
    .command('status')
    .description(
      'what the running service reports: feeds, queue, budget, reconciliation (exit 1 when not ready)',
    )
    .option(...configOption)
    .option('--json', 'print the status as JSON')
    .option('--url <url>', 'the admin API of roster serve (default: serve.host and serve.port)')
    .action((flags) =>
      run(async (out) => (await import('./commands/status.ts')).statusCommand(flags, out, io), flags.json),
    );

  const queue = program
    .command('queue')
    .description('list the work queue (retries and dead letters)')
    .option(...configOption)
    .option('--json', 'print as JSON')
    .option('--status <status>', 'queued | running | dead')
    .option('--limit <n>', 'at most this many jobs', '100')
    .action((flags) =>
      run(async (out) => (await import('./commands/queue.ts')).queueCommand(flags, out, io), flags.json),
    );

  queue
    .command('retry')
    .description('queue dead letters again (all, or the ids given)')
    .argument('[ids...]', 'job ids from `roster queue`')
    .option(...configOption)
    .option('--json', 'print as JSON')
    .action((ids: string[], flags) =>
      run(
        async (out) => (await import('./commands/queue.ts')).queueRetryCommand(ids, flags, out, io),
        flags.json,
      ),
    );

  // Reviewed plans (issue #4 §1): `plan --save` and `apply --plan ID` extend the commands above.
  for (const c of program.commands) {
    if (c.name() === 'plan') c.option('--save', 'keep this plan for review; supersedes older saved plans');
    if (c.name() === 'apply')
      c.option('--plan <id>', 'apply exactly this stored plan; refused if anything behind it changed').option(
        '--wait',
        'when another Roster process is writing to Docebo, wait for it instead of refusing',
      );
  }

  program
    .command('plans')
    .description('list recent stored plans and their states (draft, approved, applied, superseded, …)')
    .option(...configOption)
    .option('--json', 'print as JSON')
    .option('--status <status>', 'only plans in this state')
    .option('--limit <n>', 'at most this many plans', '20')
    .action((flags) =>
      run(async (out) => (await import('./commands/plans.ts')).plansCommand(flags, out, io), flags.json),
    );

  program
    .command('show')
    .description('show a stored object')
    .command('plan')
    .description('show a stored plan with its status and what it was based on')
    .argument('<id>', 'plan id from `roster plan --save` or `roster plans`')
    .option(...configOption)
    .option('--json', 'print the plan as JSON')
    .option('--all', 'list every user (by default 25 per account)')
    .action((id: string, flags) =>
      run(
        async (out) => (await import('./commands/show.ts')).showPlanCommand(id, flags, out, io),
        flags.json,
      ),
    );

  program
    .command('undo')
    .description(
      'put back the Docebo state from before Roster changed it: one run, account or user (exit 4 if some failed)',
    )
    .option(...configOption)
    .option('--run <id>', 'undo the changes of this apply run')
    .option('--account <sfid>', "undo Roster's changes to this Salesforce account's users")
    .option('--user <id>', "undo Roster's latest change to this Docebo user")
    .option('-y, --yes', 'apply without asking (for scripts)')
    .option('--wait', 'when another Roster process is writing to Docebo, wait for it instead of refusing')
    .option('--json', 'print the undo plan and the outcome as JSON')
    .option('--all', 'list every user (by default 25 per account)')
    .action((flags) =>
      run(async (out) => (await import('./commands/undo.ts')).undoCommand(flags, out, io), flags.json),
    );

  const audit = program
    .command('audit')
    .description('the tamper-evident audit log: verify the hash chain, export the journal');

  audit
    .command('verify')
    .description('recompute the hash chain and check the journal against it (exit 0: intact, 1: broken)')
    .option(...configOption)
    .option('--json', 'print the verification as JSON')
    .action((flags) =>
      run(
        async (out) => (await import('./commands/audit.ts')).auditVerifyCommand(flags, out, io),
        flags.json,
      ),
    );

  audit
    .command('export')
    .description("write the journal with each row's audit hash, as CSV or JSON lines")
    .option(...configOption)
    .option('--since <iso>', 'rows at or after this date or instant')
    .option('--until <iso>', 'rows before this date or instant')
    .option('--format <format>', 'csv | jsonl', 'csv')
    .option('--output <file>', 'write to this file instead of stdout')
    .action((flags) =>
      run(async (out) => (await import('./commands/audit.ts')).auditExportCommand(flags, out, io)),
    );

  program
    .command('history')
    .description(
      "one person's story: links, what Salesforce said, what Roster decided and wrote, approvals and drift",
    )
    .argument('<who>', 'an email, a Salesforce contact id (15 or 18 characters) or a Docebo user id')
    .option(...configOption)
    .option('--json', 'print the history as JSON')
    .action((who: string, flags) =>
      run(
        async (out) => (await import('./commands/history.ts')).historyCommand(who, flags, out, io),
        flags.json,
      ),
    );

  // Guards (issue #4 §2): decide changes held for approval.
  for (const name of ['approve', 'reject'] as const) {
    const decide = program
      .command(name)
      .description(
        `${name} changes the guards held, per plan or per Salesforce account (no flag: list what waits)`,
      )
      .option(...configOption)
      .option('--plan <id>', `${name} every held change of this plan`)
      .option('--account <sfid>', `${name} the held changes of this account (15 or 18 characters)`)
      .option('--by <name>', 'who decides (default: the OS user name)')
      .option('--json', 'print the decision as JSON');
    if (name === 'approve')
      decide.option('--source', 'accept that Salesforce now returns fewer contacts (resets minSourceShare)');
    decide.action((flags) =>
      run(async (out) => {
        const m = await import('./commands/approve.ts');
        return (name === 'approve' ? m.approveCommand : m.rejectCommand)(flags, out, io);
      }, flags.json),
    );
  }

  program
    .command('sim')
    .description('run a simulator: salesforce or docebo')
    .argument('<which>', 'salesforce | docebo')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action((which: string, args: string[]) =>
      run(async () => (await import('./commands/sim.ts')).simCommand(which, args)),
    );

  return program;
}
