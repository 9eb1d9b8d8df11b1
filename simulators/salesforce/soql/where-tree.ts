// Rebuilds grouping and precedence from soql-parser-js 6.3.1's WHERE chain. The parser returns a
// right-nested list in source order with parentheses only as counts on the conditions, and a NOT node
// that swallows the rest of the chain, so its nesting says nothing about precedence. We flatten it to
// tokens and parse those again: NOT binds tighter than AND; AND and OR side by side without parentheses
// are refused, as Salesforce does.
import type { WhereClause } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../sf-errors.ts';
import type { Condition, FieldPath } from './soql-ast.ts';

type Token =
  | { t: '(' }
  | { t: ')' }
  | { t: 'NOT' }
  | { t: 'AND' }
  | { t: 'OR' }
  | { t: 'leaf'; cond: Condition<FieldPath> };

export type Leaf = Extract<WhereClause['left'], { operator: unknown }>;

export function whereToCondition(
  where: WhereClause,
  toLeaf: (leaf: Leaf) => Condition<FieldPath>,
): Condition<FieldPath> {
  return buildTree(flatten(where, toLeaf));
}

function flatten(where: WhereClause, toLeaf: (leaf: Leaf) => Condition<FieldPath>): Token[] {
  const tokens: Token[] = [];
  const parens = (t: '(' | ')', n: number | undefined) => {
    for (let i = 0; i < (n ?? 0); i++) tokens.push({ t });
  };
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left;
    if (left === null || !('operator' in left)) {
      parens('(', left?.openParen);
      tokens.push({ t: 'NOT' });
      node = 'right' in node ? node.right : undefined;
      continue;
    }
    parens('(', left.openParen);
    tokens.push({ t: 'leaf', cond: toLeaf(left) });
    parens(')', left.closeParen);
    const rest = node as { operator?: string; right?: WhereClause };
    if (rest.right === undefined) break;
    const op = (rest.operator ?? '').toUpperCase();
    if (op !== 'AND' && op !== 'OR') throw malformedQuery(`unexpected token: expected AND or OR`);
    tokens.push({ t: op });
    node = rest.right;
  }
  return tokens;
}

function buildTree(tokens: Token[]): Condition<FieldPath> {
  let pos = 0;
  const peek = () => tokens[pos]?.t;

  function parseExpr(): Condition<FieldPath> {
    const operands = [parseNot()];
    let op: 'AND' | 'OR' | null = null;
    for (let next = peek(); next === 'AND' || next === 'OR'; next = peek()) {
      if (op !== null && next !== op) {
        throw malformedQuery(
          'unexpected token: ' + next + ' (AND and OR cannot be mixed without parentheses)',
        );
      }
      op = next;
      pos++;
      operands.push(parseNot());
    }
    const [only] = operands;
    if (op === null && only) return only;
    return { type: op === 'OR' ? 'or' : 'and', operands };
  }

  function parseNot(): Condition<FieldPath> {
    if (peek() === 'NOT') {
      pos++;
      return { type: 'not', operand: parseNot() };
    }
    const token = tokens[pos++];
    if (token?.t === 'leaf') return token.cond;
    if (token?.t === '(') {
      const inner = parseExpr();
      if (tokens[pos++]?.t !== ')') throw malformedQuery('expected )');
      return inner;
    }
    throw malformedQuery(token ? `unexpected token: ${token.t}` : 'unexpected end of WHERE clause');
  }

  const tree = parseExpr();
  if (pos !== tokens.length) throw malformedQuery(`unexpected token: ${tokens[pos]?.t ?? ''}`);
  return tree;
}
