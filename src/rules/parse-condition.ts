// Parses a SOQL WHERE condition as written in roster.yaml into Roster's condition tree. Everything
// Roster cannot evaluate exactly as Salesforce would is refused here, at config time, with the text
// and column, rather than guessed at when a contact's access is at stake.
import type { Query } from '@jetstreamapp/soql-parser-js';
import { buildTree, flattenWhere, TreeError, type Leaf } from './build-condition-tree.ts';
import type { CompareOperator, Condition, Literal } from './condition-ast.ts';
import { parseFieldPath } from './field-path.ts';
import { RuleSyntaxError } from './rule-errors.ts';
import { toLiteral } from './soql-literals.ts';
import { parseWhere } from './soql-syntax-error.ts';

export interface ParseOptions {
  /**
   * Accept `A AND B OR C` and read it with AND binding tighter. Salesforce refuses it, so the default
   * refuses it too; only conditions that never go to Salesforce may turn this on.
   */
  allowMixedAndOr?: boolean;
}

const COMPARE_OPERATORS: Record<string, CompareOperator> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  LIKE: 'LIKE',
};

// Keys parseQuery sets for `SELECT Id FROM Contact WHERE …`; any other means the text went on with a
// clause of its own (LIMIT, ORDER BY, GROUP BY, WITH …), which is not a condition.
const QUERY_KEYS = new Set(['fields', 'sObject', 'where']);

export function parseCondition(text: string, options: ParseOptions = {}): Condition {
  if (text.trim() === '') throw new RuleSyntaxError(text, 'the condition is empty');
  const query: Query = parseWhere(text);
  const extra = Object.keys(query).find((k) => !QUERY_KEYS.has(k));
  if (extra !== undefined) {
    throw new RuleSyntaxError(text, `only a WHERE condition is allowed, not a further clause (${extra})`);
  }
  const toLeaf = (leaf: Leaf): Condition => {
    const fail = (reason: string, needle: string): never => {
      throw new RuleSyntaxError(text, reason, columnOf(text, needle));
    };
    if ('fn' in leaf) {
      const shown = leaf.fn.rawValue ?? leaf.fn.functionName ?? 'function';
      return fail(
        `function ${shown} is not supported; compare a field directly`,
        shown.split('(')[0] ?? shown,
      );
    }
    if ('valueQuery' in leaf) return fail('subqueries (IN (SELECT …)) are not supported', leaf.field);
    const path = parseFieldPath(leaf.field);
    if (!path.ok) return fail(path.reason, leaf.field);
    const field = path.ref;
    const operator = String(leaf.operator).toUpperCase();
    const types = leaf.literalType;
    const typeAt = (i: number) => (Array.isArray(types) ? types[i] : types);
    const literal = (raw: string, i: number): Literal => {
      const result = toLiteral(typeAt(i), raw);
      return result.ok ? result.literal : fail(result.reason, raw);
    };

    if (operator === 'IN' || operator === 'NOT IN') {
      const raws = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      return { type: 'in', field, negated: operator === 'NOT IN', values: raws.map(literal) };
    }
    const op = COMPARE_OPERATORS[operator];
    if (!op) return fail(`operator ${operator} is not supported`, operator);
    if (Array.isArray(leaf.value))
      return fail(`operator ${operator} takes one value, not a list`, leaf.field);
    const value = literal(leaf.value, 0);
    if (op === 'LIKE' && value.kind !== 'string') return fail("LIKE needs a 'text' pattern", leaf.field);
    const ordering = op !== '=' && op !== '!=' && op !== 'LIKE';
    if (ordering && value.kind === 'boolean')
      return fail(`TRUE/FALSE can only be compared with = or !=`, leaf.field);
    return { type: 'compare', field, op, value };
  };
  try {
    return buildTree(flattenWhere(query.where, toLeaf), options.allowMixedAndOr ?? false);
  } catch (e) {
    if (e instanceof TreeError) throw new RuleSyntaxError(text, e.message, null, e);
    throw e;
  }
}

/** Column (1-based) of the first occurrence of `needle` outside quoted strings, case-insensitively. */
function columnOf(text: string, needle: string): number | null {
  if (needle === '') return null;
  const lower = text.toLowerCase();
  const target = needle.toLowerCase();
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
      continue;
    }
    if (target.startsWith("'") ? lower.startsWith(target, i) : c !== "'" && lower.startsWith(target, i)) {
      return i + 1;
    }
    if (c === "'") quoted = true;
  }
  return null;
}
