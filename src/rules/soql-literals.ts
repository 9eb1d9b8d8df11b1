// Literal values as the SOQL parser hands them over (raw text plus a literal type) turned into typed
// values. The parser keeps quotes and escapes and accepts impossible dates, so all checking is here.
import { parseIsoDate } from '../domain/dates.ts';
import type { Literal, RelativeDate } from './condition-ast.ts';

export type LiteralResult = { ok: true; literal: Literal } | { ok: false; reason: string };

const fail = (reason: string): LiteralResult => ({ ok: false, reason });
const ok = (literal: Literal): LiteralResult => ({ ok: true, literal });

// SOQL's escapes (case-insensitive letters). `\%` and `\_` only mean something inside LIKE patterns.
const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '%': '%',
  _: '_',
};

/** Unescapes the inside of a quoted string; null when it holds an escape SOQL does not know. */
export function unescapeSoql(raw: string): { value: string } | { badEscape: string } {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw.charAt(i + 1);
    const mapped = ESCAPES[next.toLowerCase()];
    if (mapped === undefined) return { badEscape: `\\${next}` };
    out += mapped;
    i++;
  }
  return { value: out };
}

/** A LIKE pattern as a regular expression: `%` any run, `_` one character, case-insensitive. */
export function likePattern(raw: string): RegExp {
  let source = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '\\') {
      const next = raw.charAt(++i);
      const literal = next === '%' || next === '_' ? next : (ESCAPES[next.toLowerCase()] ?? next);
      source += escapeRegExp(literal);
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'is');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const DATETIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

const FIXED_RANGES: Record<string, [number, number]> = {
  YESTERDAY: [-1, -1],
  TODAY: [0, 0],
  TOMORROW: [1, 1],
  // Salesforce includes today in LAST_N_DAYS (observed; its docs disagree) and starts NEXT_N_DAYS tomorrow.
  LAST_90_DAYS: [-90, 0],
  NEXT_90_DAYS: [1, 90],
};

function relativeDate(text: string): RelativeDate | null {
  const upper = text.toUpperCase();
  const fixed = FIXED_RANGES[upper];
  if (fixed) return { kind: 'relative-date', text: upper, fromDays: fixed[0], toDays: fixed[1] };
  const m = /^(LAST|NEXT)_N_DAYS:(\d+)$/.exec(upper);
  if (!m) return null;
  const n = Number(m[2]);
  return m[1] === 'LAST'
    ? { kind: 'relative-date', text: upper, fromDays: -n, toDays: 0 }
    : { kind: 'relative-date', text: upper, fromDays: 1, toDays: n };
}

const SUPPORTED_DATE_LITERALS =
  'TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n, LAST_90_DAYS, NEXT_90_DAYS';

export function toLiteral(literalType: string | undefined, text: string): LiteralResult {
  switch (literalType) {
    case 'NULL':
      return ok({ kind: 'null' });
    case 'BOOLEAN':
      return ok({ kind: 'boolean', value: text.toUpperCase() === 'TRUE' });
    case 'INTEGER':
    case 'DECIMAL': {
      const value = Number(text);
      return Number.isFinite(value) ? ok({ kind: 'number', value }) : fail(`${text} is not a number`);
    }
    case 'STRING': {
      const raw = text.slice(1, -1);
      const un = unescapeSoql(raw);
      if ('badEscape' in un) return fail(`unknown escape ${un.badEscape} in ${text}`);
      return ok({ kind: 'string', value: un.value, raw });
    }
    case 'DATE': {
      const value = parseIsoDate(text);
      return value && value === text ? ok({ kind: 'date', value }) : fail(`${text} is not a valid date`);
    }
    case 'DATETIME': {
      const m = DATETIME.exec(text);
      const epochMs = Date.parse(text);
      if (!m || !m[1] || parseIsoDate(m[1]) === null || Number.isNaN(epochMs)) {
        return fail(`${text} is not a valid dateTime (expected e.g. 2026-01-31T10:00:00Z)`);
      }
      return ok({ kind: 'datetime', epochMs, text });
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      const rel = relativeDate(text);
      return rel
        ? ok(rel)
        : fail(`date literal ${text} is not supported (supported: ${SUPPORTED_DATE_LITERALS})`);
    }
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return fail(`currency literal ${text} is not supported`);
    case 'APEX_BIND_VARIABLE':
      return fail(`bind variable ${text} is not supported`);
    default:
      return fail(`value ${text} is not supported`);
  }
}
