// Reads roster.yaml (and the JWT key file it names) from disk, and checks that a SQLite store's
// directory exists. The only I/O of configuration; everything else is parseConfig.
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RosterError } from '../domain/errors.ts';
import type { AdminConfig, RosterConfig } from './config-schema.ts';
import { parseConfig } from './parse-config.ts';

export const DEFAULT_CONFIG_FILE = 'roster.yaml';

export interface LoadConfigInput {
  /** Relative paths resolve against `cwd`; default `roster.yaml`. */
  path?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The command serves or calls the admin API: `serve.adminToken` is required. */
  adminApi?: boolean;
}

export async function loadConfig(input: LoadConfigInput & { adminApi: true }): Promise<AdminConfig>;
export async function loadConfig(input: LoadConfigInput): Promise<RosterConfig>;
export async function loadConfig(input: LoadConfigInput): Promise<RosterConfig> {
  const file = resolve(input.cwd, input.path ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new RosterError('ROSTER_CONFIG_NOT_FOUND', `No configuration file at ${file}`, { cause: e });
    }
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `Cannot read the configuration file ${file} (${String(code)})`,
      {
        cause: e,
      },
    );
  }
  // Synchronous on purpose: parseConfig stays synchronous and pure, and this is one small file at startup.
  return parseConfig(text, input.env, dirname(file), {
    source: file,
    adminApi: input.adminApi ?? false,
    readKeyFile: (path) => readFileSync(path, 'utf8'),
    directoryExists: (path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false,
  });
}
