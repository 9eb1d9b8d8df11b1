// Configuration problems: collected from every stage (YAML, environment, schema, rules, files) and
// reported together, each at its path, so one run of `roster doctor` shows everything to fix.
import { RosterError } from '../domain/errors.ts';

export interface ConfigProblem {
  /** Where in roster.yaml: `docebo.batchSize`, `rules[1].when`; for YAML syntax, `line 3, column 5`. */
  path: string;
  message: string;
  fix?: string;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

export function problemLine(p: ConfigProblem): string {
  const fix = p.fix ? ` (${p.fix})` : '';
  return `- ${p.path === '' ? '(top level)' : p.path}: ${p.message}${fix}`;
}

export function configInvalid(problems: ConfigProblem[], source: string | undefined): RosterError {
  const where = source ? ` in ${source}` : '';
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new RosterError(
    'ROSTER_CONFIG_INVALID',
    `Invalid configuration${where} (${count}):\n${problems.map(problemLine).join('\n')}`,
    { details: problems },
  );
}
