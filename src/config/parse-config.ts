// roster.yaml text → RosterConfig. Pure apart from the optional key-file reader and directory check it
// is given: every stage (YAML, environment, schema, rules, files) adds its problems to one list, thrown
// together at the end.
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configInvalid, formatPath, type ConfigProblem } from './config-problems.ts';
import { configSchema, type AdminConfig, type ParsedConfig, type RosterConfig } from './config-schema.ts';
import { interpolateEnv } from './interpolate-env.ts';
import { clientCredentialsHostProblems } from './salesforce-login-host.ts';

export interface ParseConfigOptions {
  /** The command serves or calls the admin API: `serve.adminToken` is required. */
  adminApi?: boolean;
  /** Reads the Salesforce JWT key file (an absolute path). Without it the key is not read (null). */
  readKeyFile?: (absolutePath: string) => string;
  /** Whether a directory exists, for a SQLite store's. Without it the directory is not checked. */
  directoryExists?: (absolutePath: string) => boolean;
  /** Named in the error message, e.g. the config file's path. */
  source?: string;
}

// yaml's own default, stated here: far more than any roster.yaml needs.
const MAX_ALIAS_COUNT = 100;

function yamlProblems(text: string): { value: unknown; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  // Only the first line of yaml's message, and no source excerpt: the excerpt may show an inline secret.
  const problems = doc.errors.map((err) => {
    const pos = err.linePos?.[0];
    const message = (err.message.split('\n')[0] ?? 'YAML syntax error').replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    return {
      path: pos ? `line ${pos.line}, column ${pos.col}` : 'YAML',
      message: `YAML syntax error: ${message}`,
    };
  });
  if (problems.length > 0) return { value: undefined, problems };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems };
  } catch (e) {
    // yaml refuses to expand a "billion laughs" alias bomb (a ReferenceError); any other failure to
    // build the value is the file's problem too, never a crash.
    const aliasBomb = e instanceof ReferenceError && /excessive alias count/i.test(e.message);
    return {
      value: undefined,
      problems: [
        aliasBomb
          ? {
              path: 'YAML',
              message: `aliases (*name) expand past the limit of ${MAX_ALIAS_COUNT} nodes (an alias bomb?)`,
              fix: 'roster.yaml needs no anchors or aliases; write the values out',
            }
          : {
              path: 'YAML',
              message: `YAML cannot be read: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
            },
      ],
    };
  }
}

// Zod's default texts name types ("expected string, received undefined"); these say what to write.
const describeIssue = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code === 'invalid_type')
    return issue.input === undefined ? 'is required' : `expected ${issue.expected}`;
  return undefined;
};

function schemaProblems(issues: z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key]),
          message: 'unknown key',
          fix: 'remove it or correct its spelling',
        }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

function duplicateRuleNames(value: unknown): ConfigProblem[] {
  const rules = (value as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  rules.forEach((rule: unknown, i) => {
    const name = (rule as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else
      problems.push({
        path: `rules[${i}].name`,
        message: `"${name}" is already the name of rules[${first}]`,
        fix: 'rule names must be unique',
      });
  });
  return problems;
}

function resolveStore(store: string, baseDir: string): string {
  if (!store.startsWith('sqlite:')) return store;
  let file = store.slice('sqlite:'.length);
  // `sqlite:///abs/path` and `sqlite://./rel` (as openStore accepts them) name the same files.
  if (file.startsWith('//')) file = file.slice(2);
  return file === ':memory:' ? store : `sqlite:${resolve(baseDir, file)}`;
}

// Opening SQLite in a directory that does not exist would need Roster to create it: a mistyped path
// would then start a new, empty store (no links, no journal, no ownership) instead of failing.
function storeDirectoryProblems(store: string, options: ParseConfigOptions): ConfigProblem[] {
  if (!options.directoryExists || !store.startsWith('sqlite:')) return [];
  const file = store.slice('sqlite:'.length);
  if (file === ':memory:') return [];
  const dir = dirname(file);
  if (options.directoryExists(dir)) return [];
  return [
    {
      path: 'store',
      message: `the directory ${dir} does not exist`,
      fix: `create it first (mkdir -p ${dir}) or correct the path; Roster never creates a store's directory`,
    },
  ];
}

interface KeyFile {
  privateKeyFile: string;
  privateKey: string | null;
}

// Read even when other settings are wrong, so a missing key file is reported with everything else.
function readKey(
  raw: unknown,
  baseDir: string,
  options: ParseConfigOptions,
  problems: ConfigProblem[],
): KeyFile | null {
  const auth = (raw as { salesforce?: { auth?: { flow?: unknown; privateKeyFile?: unknown } } } | null)
    ?.salesforce?.auth;
  if (auth?.flow !== 'jwt' || typeof auth.privateKeyFile !== 'string' || auth.privateKeyFile.trim() === '')
    return null;
  const privateKeyFile = resolve(baseDir, auth.privateKeyFile.trim());
  if (!options.readKeyFile) return { privateKeyFile, privateKey: null };
  try {
    return { privateKeyFile, privateKey: options.readKeyFile(privateKeyFile) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    problems.push({
      path: 'salesforce.auth.privateKeyFile',
      message: `cannot read ${privateKeyFile}${typeof code === 'string' ? ` (${code})` : ''}`,
      fix: "relative paths are resolved against the config file's directory",
    });
    return null;
  }
}

function finish(parsed: ParsedConfig, baseDir: string, key: KeyFile | null): RosterConfig {
  const sfAuth = parsed.salesforce.auth;
  const auth: RosterConfig['salesforce']['auth'] =
    sfAuth.flow === 'jwt'
      ? {
          ...sfAuth,
          privateKeyFile: key?.privateKeyFile ?? resolve(baseDir, sfAuth.privateKeyFile),
          privateKey: key?.privateKey ?? null,
        }
      : sfAuth;
  return {
    ...parsed,
    salesforce: { ...parsed.salesforce, auth },
    rules: parsed.rules.map((r) => ({
      name: r.name,
      when: r.when,
      retireOn: r.retireOn ? r.retireOn : null,
    })),
    store: resolveStore(parsed.store, baseDir),
  };
}

export function parseConfig(
  text: string,
  env: Record<string, string | undefined>,
  baseDir: string,
  options: ParseConfigOptions & { adminApi: true },
): AdminConfig;
export function parseConfig(
  text: string,
  env: Record<string, string | undefined>,
  baseDir: string,
  options?: ParseConfigOptions,
): RosterConfig;
export function parseConfig(
  text: string,
  env: Record<string, string | undefined>,
  baseDir: string,
  options: ParseConfigOptions = {},
): RosterConfig {
  const yaml = yamlProblems(text);
  if (yaml.problems.length > 0) throw configInvalid(yaml.problems, options.source);
  let raw = yaml.value;
  if (raw === null || raw === undefined)
    throw configInvalid([{ path: '', message: 'the file is empty' }], options.source);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw configInvalid(
      [{ path: '', message: 'expected a mapping of settings (salesforce:, docebo:, …)' }],
      options.source,
    );
  }
  // DATABASE_URL is the usual way platforms hand out a database; an explicit `store` still wins.
  const databaseUrl = env.DATABASE_URL;
  if (!('store' in raw) && databaseUrl) raw = { ...raw, store: databaseUrl };

  const interpolated = interpolateEnv(raw, env);
  const problems = [...interpolated.problems];
  const result = configSchema.safeParse(interpolated.value, { error: describeIssue });
  // A value whose variable is missing would also fail the schema; one problem per cause is enough.
  const envPaths = new Set(problems.map((p) => p.path));
  if (!result.success)
    problems.push(...schemaProblems(result.error.issues).filter((p) => !envPaths.has(p.path)));
  problems.push(...duplicateRuleNames(interpolated.value));
  problems.push(...clientCredentialsHostProblems(interpolated.value));
  const key = readKey(interpolated.value, baseDir, options, problems);
  if (options.adminApi && result.success && !result.data.serve.adminToken)
    problems.push({
      path: 'serve.adminToken',
      message: 'required for roster serve and roster status (the admin API)',
      fix: 'adminToken: "${ROSTER_ADMIN_TOKEN}" and export a random value of 24+ characters',
    });
  if (result.success)
    problems.push(...storeDirectoryProblems(resolveStore(result.data.store, baseDir), options));
  if (!result.success || problems.length > 0) throw configInvalid(problems, options.source);
  // Frozen: validated once here, nothing downstream re-checks or changes it.
  return deepFreeze(finish(result.data, baseDir, key));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
