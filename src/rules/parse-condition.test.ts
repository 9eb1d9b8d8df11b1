import { describe, expect, it } from 'vitest';
import { contact, d } from '../../test/helpers/facts.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Literal } from './condition-ast.ts';
import { conditionFields, conditionPaths } from './condition-fields.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { formatCondition } from './format-condition.ts';
import { parseCondition } from './parse-condition.ts';
import { RuleSyntaxError } from './rule-errors.ts';

const read = (text: string) => formatCondition(parseCondition(text, { allowMixedAndOr: true }));

describe('parseCondition: grouping and precedence (NOT > AND > OR)', () => {
  it.each([
    ['A = 1', 'A = 1'],
    ['((A = 1))', 'A = 1'],
    ['A = 1 AND B = 2 AND C = 3', 'A = 1 AND B = 2 AND C = 3'],
    ['A = 1 OR B = 2 OR C = 3', 'A = 1 OR B = 2 OR C = 3'],
    ['A = 1 OR B = 2 AND C = 3', 'A = 1 OR (B = 2 AND C = 3)'],
    ['A = 1 AND B = 2 OR C = 3', '(A = 1 AND B = 2) OR C = 3'],
    ['A = 1 AND B = 2 OR C = 3 AND D = 4', '(A = 1 AND B = 2) OR (C = 3 AND D = 4)'],
    ['A = 1 AND (B = 2 OR C = 3)', 'A = 1 AND (B = 2 OR C = 3)'],
    ['(A = 1 OR B = 2) AND C = 3', '(A = 1 OR B = 2) AND C = 3'],
    [
      '(A = 1 AND B = 2) OR (C = 3 AND (D = 4 OR E = 5))',
      '(A = 1 AND B = 2) OR (C = 3 AND (D = 4 OR E = 5))',
    ],
    // The parser nests NOT over the rest of the chain; NOT must bind to the next operand only.
    ['NOT A = 1 AND B = 2', '(NOT A = 1) AND B = 2'],
    ['NOT A = 1 OR B = 2', '(NOT A = 1) OR B = 2'],
    ['A = 1 AND NOT B = 2 AND C = 3', 'A = 1 AND (NOT B = 2) AND C = 3'],
    ['NOT (A = 1 OR B = 2) AND C = 3', '(NOT (A = 1 OR B = 2)) AND C = 3'],
    ['(NOT A = 1) OR B = 2', '(NOT A = 1) OR B = 2'],
    ['NOT (NOT A = 1)', '(NOT (NOT A = 1))'],
    ['NOT NOT A = 1', '(NOT (NOT A = 1))'],
    ['A = 1 AND NOT (B = 2 OR C = 3)', 'A = 1 AND (NOT (B = 2 OR C = 3))'],
    ['((A = 1 OR B = 2)) AND ((C = 3))', '(A = 1 OR B = 2) AND C = 3'],
    ['a = 1 and b = 2 or not c = 3', '(a = 1 AND b = 2) OR (NOT c = 3)'],
    [
      "Account.Status__c = 'Inactive' AND (Left_Date__c != null OR NOT Email LIKE '%@acme.example')",
      "Account.Status__c = 'Inactive' AND (Left_Date__c != null OR (NOT Email LIKE '%@acme.example'))",
    ],
  ])('%s  →  %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('agrees with boolean precedence on random expressions (every assignment of A–D)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // Builds the same expression twice: as SOQL and as JavaScript (whose ! && || have the same precedence).
    const gen = (depth: number): [string, string] => {
      const pick = depth <= 0 ? 0 : rand(5);
      if (pick === 0 || pick === 1) {
        const v = 'ABCD'.charAt(rand(4));
        return [`${v}__c = TRUE`, `v.${v}`];
      }
      if (pick === 2) {
        const [s, j] = gen(depth - 1);
        return [`NOT ${s}`, `!${j}`];
      }
      if (pick === 3) {
        const [s, j] = gen(depth - 1);
        return [`(${s})`, `(${j})`];
      }
      const [ls, lj] = gen(depth - 1);
      const [rs, rj] = gen(depth - 1);
      return rand(2) ? [`${ls} AND ${rs}`, `${lj} && ${rj}`] : [`${ls} OR ${rs}`, `${lj} || ${rj}`];
    };
    for (let n = 0; n < 150; n++) {
      const [soql, js] = gen(4);
      const cond = parseCondition(soql, { allowMixedAndOr: true });
      const expected = new Function('v', `return ${js};`) as (v: Record<string, boolean>) => boolean;
      for (let bits = 0; bits < 16; bits++) {
        const v = { A: !!(bits & 1), B: !!(bits & 2), C: !!(bits & 4), D: !!(bits & 8) };
        const fields = Object.fromEntries(Object.entries(v).map(([k, b]) => [`${k}__c`, b]));
        const facts = contact(1, { fields });
        expect(evaluateCondition(cond, facts, d('2026-01-01')), `${soql} with ${JSON.stringify(v)}`).toBe(
          expected(v),
        );
      }
    }
  });
});

describe('parseCondition: AND and OR side by side need parentheses, as in Salesforce', () => {
  it.each(['A = 1 OR B = 2 AND C = 3', 'A = 1 AND B = 2 OR C = 3', '(A = 1 AND B = 2 OR C = 3)'])(
    'refuses %s by default',
    (text) => {
      expect(() => parseCondition(text)).toThrow(/AND and OR are mixed without parentheses/);
    },
  );

  it.each([
    'A = 1 AND (B = 2 OR C = 3)',
    '(A = 1 AND B = 2) OR C = 3',
    'NOT A = 1 AND B = 2',
    'A = 1 OR NOT B = 2',
  ])('accepts %s', (text) => {
    expect(() => parseCondition(text)).not.toThrow();
  });
});

describe('parseCondition: operators and literals', () => {
  const only = (text: string) => {
    const c = parseCondition(text);
    if (c.type !== 'compare') throw new Error(`expected a comparison, got ${c.type}`);
    return c;
  };
  it.each<[string, string, Literal]>([
    ['A = null', '=', { kind: 'null' }],
    ['A != NULL', '!=', { kind: 'null' }],
    ['A <> 1', '!=', { kind: 'number', value: 1 }],
    ['A < -1.5', '<', { kind: 'number', value: -1.5 }],
    ['A >= 01.50', '>=', { kind: 'number', value: 1.5 }],
    ['A = true', '=', { kind: 'boolean', value: true }],
    ['A = FALSE', '=', { kind: 'boolean', value: false }],
    ["A = 'Inactive'", '=', { kind: 'string', value: 'Inactive', raw: 'Inactive' }],
    ["A = 'it\\'s'", '=', { kind: 'string', value: "it's", raw: "it\\'s" }],
    ["A = 'a\\\\b\\nc'", '=', { kind: 'string', value: 'a\\b\nc', raw: 'a\\\\b\\nc' }],
    ["A LIKE '50\\%%'", 'LIKE', { kind: 'string', value: '50%%', raw: '50\\%%' }],
    ['A <= 2026-01-31', '<=', { kind: 'date', value: '2026-01-31' as IsoDate }],
    [
      'A > 2026-01-31T10:00:00Z',
      '>',
      { kind: 'datetime', epochMs: Date.UTC(2026, 0, 31, 10), text: '2026-01-31T10:00:00Z' },
    ],
    [
      'A > 2026-01-31T10:00:00+02:00',
      '>',
      { kind: 'datetime', epochMs: Date.UTC(2026, 0, 31, 8), text: '2026-01-31T10:00:00+02:00' },
    ],
    ['A = TODAY', '=', { kind: 'relative-date', text: 'TODAY', fromDays: 0, toDays: 0 }],
    ['A = yesterday', '=', { kind: 'relative-date', text: 'YESTERDAY', fromDays: -1, toDays: -1 }],
    ['A = TOMORROW', '=', { kind: 'relative-date', text: 'TOMORROW', fromDays: 1, toDays: 1 }],
    ['A = LAST_N_DAYS:30', '=', { kind: 'relative-date', text: 'LAST_N_DAYS:30', fromDays: -30, toDays: 0 }],
    ['A = NEXT_N_DAYS:3', '=', { kind: 'relative-date', text: 'NEXT_N_DAYS:3', fromDays: 1, toDays: 3 }],
    ['A = LAST_90_DAYS', '=', { kind: 'relative-date', text: 'LAST_90_DAYS', fromDays: -90, toDays: 0 }],
  ])('%s', (text, op, value) => {
    const c = only(text);
    expect(c.op).toBe(op);
    expect(c.value).toEqual(value);
  });

  it('reads IN and NOT IN lists of mixed literals', () => {
    expect(parseCondition("A IN ('x', 1, null, 2026-01-01, TODAY)")).toMatchObject({
      type: 'in',
      negated: false,
      values: [
        { kind: 'string', value: 'x' },
        { kind: 'number', value: 1 },
        { kind: 'null' },
        { kind: 'date' },
        { kind: 'relative-date' },
      ],
    });
    expect(parseCondition('A NOT IN (1, 2)')).toMatchObject({ type: 'in', negated: true });
  });

  it.each([
    ['Email', { object: 'contact', field: 'Email', path: 'Email' }],
    ['Account.Status__c', { object: 'account', field: 'Status__c', path: 'Account.Status__c' }],
    ['account.status__c', { object: 'account', field: 'status__c', path: 'Account.status__c' }],
  ])('field %s', (field, ref) => {
    expect(only(`${field} = 1`).field).toEqual(ref);
  });
});

describe('parseCondition: refuses what Roster cannot evaluate, saying where', () => {
  it.each<[string, RegExp, number | null]>([
    ['', /empty/, null],
    ['   ', /empty/, null],
    ['A == 1', /expected a value .* but found "="/, 4],
    ['A = ', /expected a value .* but the condition ended/, null],
    ['A 1', /expected an operator/, 3],
    ["A = 'x' AND", /expected a field name but the condition ended/, null],
    ['A = 1 AND (B = 2', /expected "\)"/, null],
    ['A = 1)', /unexpected "\)"/, 6],
    ['A = 1 B = 2', /missing AND or OR before B/, null],
    ['A = $5', /unexpected character "\$"/, 5],
    ['A = 1 LIMIT 5', /only a WHERE condition/, null],
    ['A = 1 ORDER BY A', /only a WHERE condition/, null],
    ['COUNT(Id) > 1', /function COUNT\(Id\) is not supported/, 1],
    ['CALENDAR_YEAR(CreatedDate) = 2020', /function CALENDAR_YEAR/, 1],
    ['Id IN (SELECT ContactId FROM Case)', /subqueries/, 1],
    ["Owner.Name = 'x'", /relationship other than Account/, 1],
    ["B = 1 AND Account.Owner.Name = 'x'", /relationship other than Account/, 11],
    ["Tags__c INCLUDES ('a')", /operator INCLUDES is not supported/, 9],
    ["Tags__c EXCLUDES ('a')", /operator EXCLUDES is not supported/, 9],
    ['A = USD100', /currency literal/, 5],
    ['A = THIS_WEEK', /date literal THIS_WEEK is not supported/, 5],
    ['A = LAST_N_WEEKS:2', /date literal LAST_N_WEEKS:2 is not supported/, 5],
    ['A = 2026-02-30', /not a valid date/, 5],
    ["A = 'a\\qb'", /unknown escape \\q/, 5],
    ['A LIKE 5', /LIKE needs a 'text' pattern/, 1],
    ['A > TRUE', /TRUE\/FALSE can only be compared with = or !=/, 1],
  ])('%j', (text, reason, column) => {
    let error: unknown;
    try {
      parseCondition(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleSyntaxError);
    const e = error as RuleSyntaxError;
    expect(e.code).toBe('ROSTER_CONFIG_INVALID');
    expect(e.message).toMatch(reason);
    expect(e.message).toContain(text);
    expect(e.column).toBe(column);
  });
});

describe('conditionFields', () => {
  it('lists each field once per object, in first-seen order, ignoring case', () => {
    const cond = parseCondition(
      "Account.Status__c = 'Inactive' AND (Left_Date__c != null OR NOT Email LIKE '%@x' OR left_date__c < TODAY) AND ACCOUNT.status__c != null AND Account.Retired_Date__c < TODAY",
    );
    expect(conditionFields(cond)).toEqual({
      contact: ['Left_Date__c', 'Email'],
      account: ['Status__c', 'Retired_Date__c'],
    });
    expect(conditionPaths(cond)).toEqual([
      'Account.Status__c',
      'Left_Date__c',
      'Email',
      'Account.Retired_Date__c',
    ]);
  });
});
