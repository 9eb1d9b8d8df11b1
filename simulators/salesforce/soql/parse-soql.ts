// SOQL text → the subset the simulator evaluates. soql-parser-js does the syntax; everything it accepts
// that the simulator does not evaluate (GROUP BY, subqueries, functions, TYPEOF, aliases, WITH, FOR …) is
// refused as MALFORMED_QUERY rather than silently ignored.
import { parseQuery, type FieldType, type OrderByClause, type Query } from '@jetstreamapp/soql-parser-js';
import { parseDate, parseDateTime } from '../sf-dates.ts';
import { malformedQuery } from '../sf-errors.ts';
import type { CompareOp, Condition, FieldPath, Literal, OrderItem, SoqlQuery } from './soql-ast.ts';
import { whereToCondition, type Leaf } from './where-tree.ts';

const ALLOWED_KEYS = new Set(['fields', 'sObject', 'where', 'orderBy', 'limit', 'offset']);
const OPS: Record<string, CompareOp> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  LIKE: 'LIKE',
  IN: 'IN',
  'NOT IN': 'NOT IN',
};
export const RANGE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW']);
export const RANGE_N_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);

export function parseSoql(text: string): SoqlQuery {
  let q: Query;
  try {
    q = parseQuery(text);
  } catch (e) {
    throw malformedQuery(`\n${text}\n${e instanceof Error ? e.message : String(e)}`);
  }
  for (const key of Object.keys(q)) {
    if (!ALLOWED_KEYS.has(key)) throw malformedQuery(`${key} is not supported by the simulator: ${text}`);
  }
  if (!q.sObject) throw malformedQuery(`unexpected end of query: FROM expected`);
  const { fields, count } = selectList(q.fields ?? []);
  return {
    object: q.sObject,
    fields,
    count,
    where: q.where ? whereToCondition(q.where, leafCondition) : null,
    orderBy: (Array.isArray(q.orderBy) ? q.orderBy : q.orderBy ? [q.orderBy] : []).map(orderItem),
    limit: q.limit ?? null,
    offset: q.offset ?? null,
  };
}

function fieldPath(raw: string): FieldPath {
  const parts = raw.split('.');
  if (parts.length === 1) return { rel: null, field: raw, raw };
  if (parts.length === 2 && parts[0] && parts[1]) return { rel: parts[0], field: parts[1], raw };
  throw malformedQuery(`only one level of parent relationship is supported: ${raw}`);
}

function selectList(items: FieldType[]): { fields: FieldPath[]; count: boolean } {
  const fields: FieldPath[] = [];
  let count = false;
  for (const item of items) {
    if (item.type === 'Field' && !item.alias) fields.push(fieldPath(item.field));
    else if (item.type === 'FieldRelationship' && !('alias' in item && item.alias)) {
      fields.push(fieldPath([...item.relationships, item.field].join('.')));
    } else if (
      item.type === 'FieldFunctionExpression' &&
      item.functionName.toUpperCase() === 'COUNT' &&
      (item.parameters ?? []).length === 0 &&
      items.length === 1
    ) {
      count = true;
    } else {
      const shown = 'rawValue' in item && item.rawValue ? item.rawValue : item.type;
      throw malformedQuery(`the simulator does not support ${shown} in SELECT`);
    }
  }
  return { fields, count };
}

function orderItem(o: OrderByClause): OrderItem {
  if (!('field' in o) || typeof o.field !== 'string') throw malformedQuery('ORDER BY supports fields only');
  const desc = o.order === 'DESC';
  // Salesforce's default: nulls first ascending, last descending.
  const nullsLast = o.nulls ? o.nulls === 'LAST' : desc;
  return { field: fieldPath(o.field), desc, nullsLast };
}

function leafCondition(leaf: Leaf): Condition {
  if ('fn' in leaf && leaf.fn) throw malformedQuery('functions are not supported in WHERE by the simulator');
  if ('valueQuery' in leaf && leaf.valueQuery)
    throw malformedQuery('semi-join subqueries are not supported by the simulator');
  if (!('field' in leaf) || typeof leaf.field !== 'string')
    throw malformedQuery('unexpected WHERE condition');
  const op = OPS[String(leaf.operator).toUpperCase()];
  if (!op) throw malformedQuery(`unsupported operator ${String(leaf.operator)}`);
  const value = (leaf as { value?: string | string[] }).value ?? '';
  const raws: string[] = Array.isArray(value) ? value : [value];
  const types = leaf.literalType;
  const values = raws.map((raw, i) => {
    const t = Array.isArray(types) ? types[i] : types;
    const n = 'dateLiteralVariable' in leaf ? leaf.dateLiteralVariable : undefined;
    return literal(String(raw), String(t ?? ''), Array.isArray(n) ? n[i] : n);
  });
  if ((op === 'IN' || op === 'NOT IN') !== Array.isArray(value)) {
    throw malformedQuery(`${op} needs ${op.endsWith('IN') ? 'a list in parentheses' : 'a single value'}`);
  }
  return { type: 'cmp', field: fieldPath(leaf.field), op, values };
}

function literal(raw: string, type: string, n: number | undefined): Literal {
  switch (type.toUpperCase()) {
    case 'STRING':
      return { kind: 'string', value: unescape(raw.slice(1, -1)), raw: raw.slice(1, -1) };
    case 'INTEGER':
    case 'DECIMAL':
      return { kind: 'number', value: Number(raw) };
    case 'BOOLEAN':
      return { kind: 'boolean', value: raw.toUpperCase() === 'TRUE' };
    case 'NULL':
      return { kind: 'null' };
    case 'DATE': {
      const ms = parseDate(raw);
      if (ms === null) throw malformedQuery(`invalid date: ${raw}`);
      return { kind: 'date', value: ms, raw };
    }
    case 'DATETIME': {
      const ms = parseDateTime(raw);
      if (ms === null) throw malformedQuery(`invalid dateTime: ${raw}`);
      return { kind: 'datetime', value: ms, raw };
    }
    case 'DATE_LITERAL':
      if (!RANGE_LITERALS.has(raw.toUpperCase()))
        throw malformedQuery(`date literal ${raw} is not supported by the simulator`);
      return { kind: 'range', name: raw.toUpperCase(), n: null };
    case 'DATE_N_LITERAL': {
      const name = raw.split(':')[0]?.toUpperCase() ?? '';
      const count = n ?? Number(raw.split(':')[1]);
      if (!RANGE_N_LITERALS.has(name) || !Number.isInteger(count)) {
        throw malformedQuery(`date literal ${raw} is not supported by the simulator`);
      }
      return { kind: 'range', name, n: count };
    }
    default:
      throw malformedQuery(`unsupported literal ${raw}`);
  }
}

// SOQL string escapes. `\%` and `\_` stay escaped: they only mean something to LIKE, which reads `raw`.
function unescape(s: string): string {
  const map: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
  };
  return s.replace(/\\(.)/g, (m, c: string) => map[c] ?? m);
}
