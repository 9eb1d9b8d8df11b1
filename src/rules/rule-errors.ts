// Errors of the rules layer. Both are RosterErrors so the CLI maps them to exit codes and actions;
// the syntax error also keeps its parts separate so config validation can report it at a YAML path.
import { RosterError, type ErrorCode } from '../domain/errors.ts';

export class RuleSyntaxError extends RosterError {
  /** The condition as written. */
  readonly condition: string;
  /** What is wrong, without the condition: config validation prefixes its own path. */
  readonly reason: string;
  /** 1-based column in `condition`, when it could be located. */
  readonly column: number | null;

  constructor(condition: string, reason: string, column: number | null = null, cause?: unknown) {
    const where = column === null ? '' : ` at column ${column}`;
    super('ROSTER_CONFIG_INVALID', `Invalid condition "${condition}"${where}: ${reason}`, { cause });
    this.name = 'RuleSyntaxError';
    this.condition = condition;
    this.reason = column === null ? reason : `${reason} (column ${column})`;
    this.column = column;
  }
}

/**
 * A condition that parsed but cannot be evaluated on these facts: a field the adapter did not read
 * (a bug: Roster asks for every field the rules name) or a value of the wrong type for the literal.
 * Never answered with `false`: a rule that silently does not hold is a leaver who keeps access.
 */
export class RuleEvaluationError extends RosterError {
  constructor(code: Extract<ErrorCode, 'ROSTER_INTERNAL' | 'ROSTER_CONFIG_INVALID'>, message: string) {
    super(code, message);
    this.name = 'RuleEvaluationError';
  }
}
