// Runs the real CLI as a spawned process, the way an admin or a script does.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROSTER_BIN = fileURLToPath(new URL('../../bin/roster.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROSTER_BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...opts.env },
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

export interface SpawnedSimulator {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `roster sim <which>` on a free port and waits for its `listening on URL` line. */
export function spawnSimulator(
  which: 'salesforce' | 'docebo',
  args: string[] = [],
): Promise<SpawnedSimulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROSTER_BIN, 'sim', which, '--port', '0', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator ${which} did not start in time: ${stderr}`));
    }, 30_000);
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const first = buffered.split('\n')[0] ?? '';
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first);
      if (m && buffered.includes('\n')) {
        clearTimeout(timer);
        resolve({
          url: m[1] as string,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator ${which} exited with ${code}: ${stderr}`));
    });
  });
}

/** Starts the CLI without waiting for it, for tests that interrupt it; `stderr()` is what it said so far. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [ROSTER_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, stderr: () => stderr, closed };
}
