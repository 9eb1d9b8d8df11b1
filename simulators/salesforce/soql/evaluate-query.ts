// Evaluates a bound query over records: WHERE with Salesforce's null and case rules, date ranges by the
// simulator clock (UTC days), ORDER BY with NULLS FIRST/LAST, OFFSET and LIMIT.
import type { FieldValue, SfRecord } from '../salesforce-state.ts';
import { addDaysMs, parseDate, parseDateTime, startOfUtcDay } from '../sf-dates.ts';
import { normalizeId } from '../salesforce-ids.ts';
import type { BoundField, BoundQuery } from './bind-query.ts';
import type { Condition, Literal } from './soql-ast.ts';

export type ParentLookup = (child: SfRecord, via: BoundField['via']) => SfRecord | null;

export function fieldValue(rec: SfRecord, f: BoundField, parent: ParentLookup): FieldValue {
  if (f.via === null) return rec.values[f.def.name] ?? null;
  const p = parent(rec, f.via);
  return p ? (p.values[f.def.name] ?? null) : null;
}

export function runWhereOrderLimit(
  q: BoundQuery,
  records: SfRecord[],
  parent: ParentLookup,
  nowMs: number,
): SfRecord[] {
  const where = q.where;
  let rows = where ? records.filter((r) => holds(where, r, parent, nowMs)) : [...records];
  if (q.orderBy.length > 0) {
    rows = rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => {
        for (const o of q.orderBy) {
          const c = compareForOrder(
            sortKey(fieldValue(a.r, o.field, parent), o.field),
            sortKey(fieldValue(b.r, o.field, parent), o.field),
            o.nullsLast,
          );
          if (c !== 0) return o.desc && !isNullOrder(c) ? -c : c;
        }
        return a.i - b.i;
      })
      .map((x) => x.r);
  }
  const start = q.offset ?? 0;
  const end = q.limit === null ? undefined : start + q.limit;
  return rows.slice(start, end);
}

// Nulls sort by NULLS FIRST/LAST regardless of direction, so their comparison is not reversed.
const NULL_ORDER = 1e9;
const isNullOrder = (c: number) => Math.abs(c) === NULL_ORDER;

function compareForOrder(a: string | number | null, b: string | number | null, nullsLast: boolean): number {
  if (a === null && b === null) return 0;
  if (a === null) return nullsLast ? NULL_ORDER : -NULL_ORDER;
  if (b === null) return nullsLast ? -NULL_ORDER : NULL_ORDER;
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** A comparable form: numbers for numbers, dates and booleans; lower-case text otherwise. */
function sortKey(v: FieldValue, f: BoundField): string | number | null {
  if (v === null) return null;
  switch (f.def.type) {
    case 'number':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'date':
      return parseDate(String(v));
    case 'datetime':
      return parseDateTime(String(v));
    case 'id':
    case 'reference':
      return (normalizeId(String(v)) ?? String(v)).toLowerCase();
    default:
      return String(v).toLowerCase();
  }
}

function holds(c: Condition<BoundField>, rec: SfRecord, parent: ParentLookup, now: number): boolean {
  switch (c.type) {
    case 'and':
      return c.operands.every((o) => holds(o, rec, parent, now));
    case 'or':
      return c.operands.some((o) => holds(o, rec, parent, now));
    case 'not':
      return !holds(c.operand, rec, parent, now);
    case 'cmp': {
      const key = sortKey(fieldValue(rec, c.field, parent), c.field);
      if (c.op === 'IN') return c.values.some((v) => compare(key, '=', v, c.field, now));
      if (c.op === 'NOT IN') return c.values.every((v) => compare(key, '!=', v, c.field, now));
      const [v] = c.values;
      return v ? compare(key, c.op, v, c.field, now) : false;
    }
  }
}

function compare(key: string | number | null, op: string, lit: Literal, f: BoundField, now: number): boolean {
  if (lit.kind === 'null') {
    if (op === '=') return key === null;
    if (op === '!=') return key !== null;
    return false;
  }
  // In SOQL a null field is "not equal" to any value, and never less or greater.
  if (key === null) return op === '!=';
  if (op === 'LIKE' && lit.kind === 'string') return likeRegex(lit.raw).test(String(key));
  if (lit.kind === 'range') {
    const [start, end] = rangeOf(lit, now);
    const k = Number(key);
    switch (op) {
      case '=':
        return k >= start && k < end;
      case '!=':
        return k < start || k >= end;
      case '<':
        return k < start;
      case '<=':
        return k < end;
      case '>':
        return k >= end;
      case '>=':
        return k >= start;
      default:
        return false;
    }
  }
  const other = literalKey(lit, f);
  if (other === null) return false;
  switch (op) {
    case '=':
      return key === other;
    case '!=':
      return key !== other;
    case '<':
      return key < other;
    case '<=':
      return key <= other;
    case '>':
      return key > other;
    case '>=':
      return key >= other;
    default:
      return false;
  }
}

function literalKey(lit: Literal, f: BoundField): string | number | null {
  switch (lit.kind) {
    case 'string':
      return f.def.type === 'id' || f.def.type === 'reference'
        ? (normalizeId(lit.value) ?? lit.value).toLowerCase()
        : lit.value.toLowerCase();
    case 'number':
    case 'date':
    case 'datetime':
      return lit.value;
    case 'boolean':
      return lit.value ? 1 : 0;
    default:
      return null;
  }
}

/**
 * [start, end) in ms for a date range literal, in UTC days. LAST_N_DAYS:n covers today and the n days
 * before it (Salesforce's docs are ambiguous on whether today counts; see the report).
 */
export function rangeOf(lit: Extract<Literal, { kind: 'range' }>, now: number): [number, number] {
  const today = startOfUtcDay(now);
  const n = lit.n ?? 0;
  switch (lit.name) {
    case 'TODAY':
      return [today, addDaysMs(today, 1)];
    case 'YESTERDAY':
      return [addDaysMs(today, -1), today];
    case 'TOMORROW':
      return [addDaysMs(today, 1), addDaysMs(today, 2)];
    case 'LAST_N_DAYS':
      return [addDaysMs(today, -n), addDaysMs(today, 1)];
    case 'NEXT_N_DAYS':
      return [addDaysMs(today, 1), addDaysMs(today, n + 1)];
    case 'N_DAYS_AGO':
      return [addDaysMs(today, -n), addDaysMs(today, -n + 1)];
    default:
      return [0, 0];
  }
}

/** LIKE: `%` any run, `_` one character, `\` escapes; case-insensitive. */
export function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern.charAt(++i);
      re += next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}
