// Prints a condition back as SOQL with every group parenthesised: shows how Roster read a rule (which
// is what precedence tests compare), and is valid SOQL again.
import type { Condition, Literal } from './condition-ast.ts';

export function formatLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return literal.value ? 'TRUE' : 'FALSE';
    case 'number':
      return String(literal.value);
    case 'string':
      return `'${literal.raw}'`;
    case 'date':
      return literal.value;
    case 'datetime':
    case 'relative-date':
      return literal.text;
  }
}

function group(cond: Condition): string {
  switch (cond.type) {
    case 'compare':
      return `${cond.field.path} ${cond.op} ${formatLiteral(cond.value)}`;
    case 'in':
      return `${cond.field.path} ${cond.negated ? 'NOT IN' : 'IN'} (${cond.values.map(formatLiteral).join(', ')})`;
    case 'not':
      return `(NOT ${group(cond.operand)})`;
    case 'and':
    case 'or':
      return `(${cond.operands.map(group).join(cond.type === 'and' ? ' AND ' : ' OR ')})`;
  }
}

export function formatCondition(cond: Condition): string {
  const text = group(cond);
  return (cond.type === 'and' || cond.type === 'or') && text.startsWith('(') ? text.slice(1, -1) : text;
}
