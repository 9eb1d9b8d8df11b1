// Rebuilds grouping and precedence from the parser's flat chain. soql-parser-js 6.3.1 returns WHERE as
// a right-nested list `{left, operator, right}` in source order, with parentheses only as counts on the
// conditions, and NOT as a node whose `left` may carry the parens opened before it. Its nesting does not
// reflect precedence (`NOT A AND B` comes back as NOT over the rest), so we flatten it to tokens and parse
// those again: NOT binds tighter than AND, AND tighter than OR.
import type { WhereClause } from '@jetstreamapp/soql-parser-js';
import type { Condition } from './condition-ast.ts';

export type Token =
  { t: '(' } | { t: ')' } | { t: 'NOT' } | { t: 'AND' } | { t: 'OR' } | { t: 'leaf'; cond: Condition };

export type Leaf = Extract<WhereClause['left'], { operator: unknown }>;

/** Flattens the chain; `toLeaf` converts each comparison (and reports unsupported ones). */
export function flattenWhere(where: WhereClause | undefined, toLeaf: (c: Leaf) => Condition): Token[] {
  const tokens: Token[] = [];
  const parens = (t: '(' | ')', n: number | undefined) => {
    for (let i = 0; i < (n ?? 0); i++) tokens.push({ t });
  };
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left;
    if (left === null || !('operator' in left)) {
      // A NOT node: `left` is null or only `{openParen}` for parens written before the NOT.
      parens('(', left?.openParen);
      tokens.push({ t: 'NOT' });
      node = 'right' in node ? node.right : undefined;
      continue;
    }
    parens('(', left.openParen);
    tokens.push({ t: 'leaf', cond: toLeaf(left) });
    parens(')', left.closeParen);
    // The parser accepts `A = 1 B = 2` and returns a `right` without an operator; never drop it.
    const rest = node as { operator?: string; right?: WhereClause };
    if (rest.right === undefined) break;
    if (!rest.operator) {
      const next = rest.right.left;
      const before = next && 'field' in next ? ` before ${next.field}` : '';
      throw new TreeError(`missing AND or OR${before}`);
    }
    const op = rest.operator.toUpperCase();
    if (op !== 'AND' && op !== 'OR') throw new TreeError(`unexpected ${op}`);
    tokens.push({ t: op });
    node = rest.right;
  }
  return tokens;
}

export class TreeError extends Error {}

/**
 * Parses the tokens with precedence NOT > AND > OR. With `allowMixedAndOr` false, AND and OR side by
 * side without parentheses are refused, as Salesforce does ("parentheses are required whenever you mix
 * the operators"): the scope goes to Salesforce as written, and a rule should mean what it would there.
 */
export function buildTree(tokens: Token[], allowMixedAndOr: boolean): Condition {
  let pos = 0;
  const peek = () => tokens[pos]?.t;

  function parseOr(): Condition {
    const first = parseAnd();
    const operands = [first.cond];
    let bareAnd = first.bareAnd;
    while (peek() === 'OR') {
      pos++;
      const next = parseAnd();
      operands.push(next.cond);
      bareAnd ||= next.bareAnd;
    }
    if (operands.length > 1 && bareAnd && !allowMixedAndOr) {
      throw new TreeError(
        'AND and OR are mixed without parentheses; Salesforce requires them: write (A AND B) OR C, or A AND (B OR C)',
      );
    }
    return operands.length === 1 ? first.cond : { type: 'or', operands };
  }

  function parseAnd(): { cond: Condition; bareAnd: boolean } {
    const operands = [parseNot()];
    while (peek() === 'AND') {
      pos++;
      operands.push(parseNot());
    }
    const [only] = operands;
    return operands.length === 1 && only
      ? { cond: only, bareAnd: false }
      : { cond: { type: 'and', operands }, bareAnd: true };
  }

  function parseNot(): Condition {
    if (peek() === 'NOT') {
      pos++;
      return { type: 'not', operand: parseNot() };
    }
    return parsePrimary();
  }

  function parsePrimary(): Condition {
    const token = tokens[pos++];
    if (token?.t === 'leaf') return token.cond;
    if (token?.t === '(') {
      const inner = parseOr();
      if (tokens[pos++]?.t !== ')') throw new TreeError('expected ")"');
      return inner;
    }
    throw new TreeError(token ? `unexpected ${token.t}` : 'the condition ended early');
  }

  const tree = parseOr();
  if (pos !== tokens.length) throw new TreeError(`unexpected ${tokens[pos]?.t ?? 'input'}`);
  return tree;
}
