// `roster serve` as a spawned process, the way an admin runs it: waits for its "listening on" line,
// keeps its JSON log lines, and stops with SIGTERM (or dies with SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { ROSTER_BIN } from './cli.ts';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  logs(): string;
  admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export function startServeProcess(
  configFile: string,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROSTER_BIN, 'serve', '-c', configFile], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NO_COLOR: '1',
        ROSTER_ADMIN_TOKEN: ADMIN_TOKEN,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const closed = new Promise<number | null>((done) => child.once('close', done));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not start: ${stderr}`));
    }, 30_000);
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1] as string;
      resolve({
        url,
        child,
        logs: () => stderr,
        admin: async <T>(method: string, path: string, body?: unknown) => {
          const res = await fetch(new URL(path, url), {
            method,
            headers: {
              authorization: `Bearer ${ADMIN_TOKEN}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return { status: res.status, body: (await res.json()) as T };
        },
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return closed;
        },
        kill: async () => {
          if (child.exitCode === null) child.kill('SIGKILL');
          await closed;
        },
      });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited with ${code}: ${stderr}`));
    });
  });
}

/**
 * Waits until `check` returns a value (not undefined), polling; fails after `timeoutMs`. Polling a wall
 * clock is a last resort, for a separate process: keep it short (10 s by default).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  stepMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
