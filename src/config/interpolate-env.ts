// `${VAR}` and `${VAR:-default}` in string values, so secrets live in the environment and never in the
// file. `$${` writes a literal `${`. A variable that is not set is a problem at the value's path, and the
// value is left as written so nothing half-substituted is ever used.
import { formatPath, type ConfigProblem } from './config-problems.ts';

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Interpolated {
  value: unknown;
  problems: ConfigProblem[];
}

function interpolateString(
  text: string,
  env: Record<string, string | undefined>,
  path: string,
  problems: ConfigProblem[],
): string {
  let failed = false;
  const out = text.replace(REFERENCE, (match, body: string | undefined) => {
    if (body === undefined) return '${';
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      failed = true;
      problems.push({
        path,
        message: `"\${${body}}" is not a valid variable reference`,
        fix: 'write ${NAME} or ${NAME:-default}',
      });
      return match;
    }
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (sep >= 0) return body.slice(sep + 2);
    failed = true;
    problems.push({
      path,
      message: `environment variable ${name} is not set (or is empty)`,
      fix: `set ${name}, or give a default with \${${name}:-value}`,
    });
    return match;
  });
  return failed ? text : out;
}

function walk(
  value: unknown,
  env: Record<string, string | undefined>,
  segments: PropertyKey[],
  problems: ConfigProblem[],
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, formatPath(segments), problems);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, env, [...segments, i], problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, env, [...segments, k], problems)]),
    );
  }
  return value;
}

export function interpolateEnv(value: unknown, env: Record<string, string | undefined>): Interpolated {
  const problems: ConfigProblem[] = [];
  return { value: walk(value, env, [], problems), problems };
}
