// Turns the SOQL parser's errors into short messages with a column. The parser (Chevrotain-based)
// reports long lists of expected token types and no position for parse errors, which an admin editing
// roster.yaml cannot act on.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { RuleSyntaxError } from './rule-errors.ts';

/** Every condition is parsed as the WHERE clause of this query; columns are relative to the condition. */
export const QUERY_PREFIX = 'SELECT Id FROM Contact WHERE ';

const VALUE_HINT = "a value ('text', a number, a date, TRUE, FALSE or null)";
const OPERATOR_HINT = 'an operator (=, !=, <, <=, >, >=, LIKE, IN, NOT IN)';

export function parseWhere(condition: string): ReturnType<typeof parseQuery> {
  try {
    return parseQuery(QUERY_PREFIX + condition);
  } catch (e) {
    throw translate(condition, e);
  }
}

function translate(condition: string, e: unknown): RuleSyntaxError {
  const message = e instanceof Error ? e.message : String(e);
  const lexing = /unexpected character: ->(.*?)<- at offset: (\d+)/s.exec(message);
  if (lexing) {
    const column = Number(lexing[2]) - QUERY_PREFIX.length + 1;
    return new RuleSyntaxError(condition, `unexpected character "${lexing[1]}"`, column, e);
  }
  const redundant = /^Redundant input, expecting EOF but found: (.*)$/s.exec(message);
  if (redundant) {
    const found = redundant[1] ?? '';
    return new RuleSyntaxError(
      condition,
      `unexpected "${found}" after a complete condition (missing AND/OR, or an unmatched ")"?)`,
      locate(condition, found, message),
      e,
    );
  }
  const found = /but found:? (?:--> )?'(.*?)'(?: <--)?\s*$/s.exec(message)?.[1];
  const ended = found === '' || found === undefined;
  const tail = ended ? 'but the condition ended' : `but found "${found}"`;
  const column = ended ? null : locate(condition, found, message);
  if (/RParen/.test(message)) return new RuleSyntaxError(condition, `expected ")" ${tail}`, column, e);
  if (/StringIdentifier/.test(message))
    return new RuleSyntaxError(condition, `expected ${VALUE_HINT} ${tail}`, column, e);
  if (/\[EQUAL\]/.test(message))
    return new RuleSyntaxError(condition, `expected ${OPERATOR_HINT} ${tail}`, column, e);
  if (/\[Identifier\]/.test(message))
    return new RuleSyntaxError(condition, `expected a field name ${tail}`, column, e);
  const firstLine = message.split('\n')[0]?.slice(0, 200) ?? 'syntax error';
  return new RuleSyntaxError(condition, firstLine, column, e);
}

// The parser names the offending token but not where it is. The right occurrence is the one whose
// prefix fails (or succeeds) in the same way the whole condition did when it reached that token.
function locate(condition: string, found: string, message: string): number | null {
  if (found === '') return null;
  const expectation = (m: string) => m.replace(/but found[\s\S]*$/, '');
  const lower = condition.toLowerCase();
  const needle = found.toLowerCase();
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + 1)) {
    try {
      parseQuery(QUERY_PREFIX + condition.slice(0, i));
      if (message.startsWith('Redundant input')) return i + 1;
    } catch (e) {
      const prefixMessage = e instanceof Error ? e.message : '';
      if (!message.startsWith('Redundant input') && expectation(prefixMessage) === expectation(message))
        return i + 1;
    }
  }
  return null;
}
