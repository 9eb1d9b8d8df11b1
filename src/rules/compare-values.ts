// One comparison of a Salesforce field value with a literal, with SOQL's semantics: text compares
// without regard to case, `= null`/`!= null` test for emptiness, an empty value satisfies only `!=`,
// and dates compare as calendar days (relative literals are ranges of days around `today`).
import type { Scalar } from '../domain/crm.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { toSalesforceId18 } from '../domain/ids.ts';
import type { CompareOperator, Literal } from './condition-ast.ts';
import { RuleEvaluationError } from './rule-errors.ts';
import { likePattern } from './soql-literals.ts';

const patterns = new Map<string, RegExp>();

function like(raw: string): RegExp {
  let re = patterns.get(raw);
  if (!re) patterns.set(raw, (re = likePattern(raw)));
  return re;
}

type Cmp = -1 | 0 | 1;
const cmp = <T extends string | number>(a: T, b: T): Cmp => (a < b ? -1 : a > b ? 1 : 0);

function ordered(op: CompareOperator, c: Cmp): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// Salesforce returns dates as YYYY-MM-DD and dateTimes as ISO instants (`…T17:43:01.000+0000`). A
// dateTime compared with a day is taken on its UTC day: the facts carry no user timezone.
function dayOf(value: string): IsoDate | null {
  if (DATE_ONLY.test(value)) return value as IsoDate;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : (new Date(ms).toISOString().slice(0, 10) as IsoDate);
}

function instantOf(value: string): number | null {
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : ms;
}

// Ids compare in their 18-char form, so a 15-char id in a rule matches the 18-char id Salesforce returns.
function idsEqual(field: string, a: string, b: string): boolean | null {
  if (!/id$/i.test(field)) return null;
  const [x, y] = [toSalesforceId18(a), toSalesforceId18(b)];
  return x && y ? x.toLowerCase() === y.toLowerCase() : null;
}

function mismatch(path: string, value: Scalar, literal: Literal): never {
  const holds = typeof value === 'string' ? 'text' : `a ${typeof value}`;
  const wants =
    literal.kind === 'relative-date' ? 'a date' : literal.kind === 'string' ? 'text' : `a ${literal.kind}`;
  throw new RuleEvaluationError(
    'ROSTER_CONFIG_INVALID',
    `${path} holds ${holds}, but the rule compares it with ${wants}; fix the rule's value for this field`,
  );
}

export function compareValue(
  path: string,
  value: Scalar,
  op: CompareOperator,
  literal: Literal,
  today: IsoDate,
): boolean {
  if (literal.kind === 'null') return op === '=' ? value === null : op === '!=' ? value !== null : false;
  if (value === null) return op === '!=';
  switch (literal.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') return mismatch(path, value, literal);
      return ordered(op, value === literal.value ? 0 : 1);
    case 'number':
      if (typeof value !== 'number') return mismatch(path, value, literal);
      return ordered(op, cmp(value, literal.value));
    case 'string': {
      if (typeof value !== 'string') return mismatch(path, value, literal);
      if (op === 'LIKE') return like(literal.raw).test(value);
      const field = path.slice(path.lastIndexOf('.') + 1);
      const sameId = op === '=' || op === '!=' ? idsEqual(field, value, literal.value) : null;
      if (sameId !== null) return op === '=' ? sameId : !sameId;
      return ordered(op, cmp(value.toLowerCase(), literal.value.toLowerCase()));
    }
    case 'datetime': {
      const ms = typeof value === 'string' ? instantOf(value) : null;
      if (ms === null) return mismatch(path, value, literal);
      return ordered(op, cmp(ms, literal.epochMs));
    }
    case 'date':
    case 'relative-date': {
      const day = typeof value === 'string' ? dayOf(value) : null;
      if (day === null) return mismatch(path, value, literal);
      const [from, to] =
        literal.kind === 'date'
          ? [literal.value, literal.value]
          : [addDays(today, literal.fromDays), addDays(today, literal.toDays)];
      return inRange(op, day, from, to);
    }
  }
}

// A date literal is a range of days: `=` means inside it, `<` before its first day, `>` after its last.
function inRange(op: CompareOperator, day: IsoDate, from: IsoDate, to: IsoDate): boolean {
  switch (op) {
    case '=':
      return day >= from && day <= to;
    case '!=':
      return day < from || day > to;
    case '<':
      return day < from;
    case '<=':
      return day <= to;
    case '>':
      return day > to;
    case '>=':
      return day >= from;
    default:
      return false;
  }
}
