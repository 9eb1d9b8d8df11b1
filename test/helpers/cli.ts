// The CLI two ways with one result shape: in this process through `runRoster` (src/cli/program.ts), which
// is what most tests use, and as a spawned `node bin/roster.js` process, the way an admin or a script
// runs it, for what only a real process shows (kill -9, signals, the exit code a shell sees).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runRoster } from '../../src/cli/program.ts';

export const ROSTER_BIN = fileURLToPath(new URL('../../bin/roster.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** The environment both runners give the CLI: nothing of the test process's own but PATH and HOME. */
const cliEnv = (env: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NO_COLOR: '1',
  ...env,
});

/** `roster <args…>` in this process, as a script would see it: piped stdout and stderr, no terminal. */
export async function runCliInProcess(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runRoster(args, {
    env: cliEnv(opts.env),
    cwd: opts.cwd ?? process.cwd(),
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    terminal: null,
  });
  return { code, stdout, stderr };
}

/** `node bin/roster.js <args…>` as a child process, stdin a pipe (so not a terminal). */
export function runCli(args: string[], opts: CliOptions & { input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROSTER_BIN, ...args], {
      cwd: opts.cwd,
      env: cliEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts the CLI without waiting for it, for tests that interrupt it; `stderr()` is what it said so far. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [ROSTER_BIN, ...args], {
    env: cliEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, stderr: () => stderr, closed };
}
