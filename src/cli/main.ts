// The roster process: the command line (program.ts) on this process's argv, streams and terminal.
import { processIo } from './cli-io.ts';
import { runRoster } from './program.ts';

process.exitCode = await runRoster(process.argv.slice(2), processIo());
