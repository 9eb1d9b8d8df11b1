import { describe, expect, it } from 'vitest';
import { account, contact, d } from '../../test/helpers/facts.ts';
import type { Scalar } from '../domain/crm.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { parseCondition } from './parse-condition.ts';
import { RuleEvaluationError } from './rule-errors.ts';

const today = d('2026-11-24');

const person = (fields: Record<string, Scalar>, accountFields: Record<string, Scalar> | null = {}) =>
  contact(1, { fields, account: accountFields === null ? null : account(1, 'ACME', accountFields) });

const holds = (
  text: string,
  fields: Record<string, Scalar>,
  accountFields: Record<string, Scalar> | null = {},
) => evaluateCondition(parseCondition(text), person(fields, accountFields), today);

describe('evaluateCondition', () => {
  it.each<[string, Record<string, Scalar>, boolean]>([
    // Text equality ignores case, as in Salesforce.
    ["S = 'Inactive'", { S: 'inactive' }, true],
    ["S = 'Inactive'", { S: 'Active' }, false],
    ["S != 'Inactive'", { S: 'INACTIVE' }, false],
    ["S <> 'Inactive'", { S: 'Active' }, true],
    ["S < 'b'", { S: 'A' }, true],
    ["S >= 'b'", { S: 'B' }, true],
    // Null: = null / != null test emptiness; an empty value satisfies != and nothing else.
    ['S = null', { S: null }, true],
    ['S = null', { S: '' }, false],
    ['S != null', { S: 'x' }, true],
    ['S != null', { S: null }, false],
    ["S = 'x'", { S: null }, false],
    ["S != 'x'", { S: null }, true],
    ['N < 5', { N: null }, false],
    ['N > 5', { N: null }, false],
    ['N < null', { N: 3 }, false],
    ["S LIKE 'a%'", { S: null }, false],
    ["NOT S = 'x'", { S: null }, true],
    // Field names are case-insensitive.
    ["status__C = 'x'", { Status__c: 'X' }, true],
    // Numbers and booleans.
    ['N = 5', { N: 5 }, true],
    ['N = 5.0', { N: 5 }, true],
    ['N > -1.5', { N: -1 }, true],
    ['N <= 2', { N: 3 }, false],
    ['B = TRUE', { B: true }, true],
    ['B = true', { B: false }, false],
    ['B != FALSE', { B: true }, true],
    // LIKE: % any run, _ one character, case-insensitive, escapes.
    ["E LIKE '%@acme.example'", { E: 'Charlie.Brown@ACME.example' }, true],
    ["E LIKE '%@acme.example'", { E: 'charlie@acme.example.org' }, false],
    ["E LIKE 'c_b'", { E: 'CAB' }, true],
    ["E LIKE 'c_b'", { E: 'cb' }, false],
    ["E LIKE '100\\%'", { E: '100%' }, true],
    ["E LIKE '100\\%'", { E: '1000' }, false],
    ["E LIKE 'a\\_b'", { E: 'aXb' }, false],
    ["E LIKE 'a.b'", { E: 'aXb' }, false],
    ["E LIKE '%'", { E: 'line\nbreak' }, true],
    // IN / NOT IN.
    ["S IN ('a', 'B')", { S: 'b' }, true],
    ["S IN ('a', 'B')", { S: 'c' }, false],
    ["S IN ('a', null)", { S: null }, true],
    ["S IN ('a')", { S: null }, false],
    ["S NOT IN ('a', 'b')", { S: 'c' }, true],
    ["S NOT IN ('a', 'b')", { S: 'A' }, false],
    ["S NOT IN ('a')", { S: null }, true],
    ['N IN (1, 2)', { N: 2 }, true],
    // Dates compare as calendar days; today is 2026-11-24.
    ['D = 2026-11-24', { D: '2026-11-24' }, true],
    ['D < 2026-11-24', { D: '2026-11-23' }, true],
    ['D <= 2026-11-24', { D: '2026-11-25' }, false],
    ['D <= TODAY', { D: '2026-11-24' }, true],
    ['D < TODAY', { D: '2026-11-24' }, false],
    ['D > TODAY', { D: '2026-11-25' }, true],
    ['D = YESTERDAY', { D: '2026-11-23' }, true],
    ['D = TOMORROW', { D: '2026-11-25' }, true],
    ['D = LAST_N_DAYS:7', { D: '2026-11-17' }, true],
    ['D = LAST_N_DAYS:7', { D: '2026-11-24' }, true],
    ['D = LAST_N_DAYS:7', { D: '2026-11-16' }, false],
    ['D < LAST_N_DAYS:7', { D: '2026-11-16' }, true],
    ['D = NEXT_N_DAYS:3', { D: '2026-11-24' }, false],
    ['D = NEXT_N_DAYS:3', { D: '2026-11-27' }, true],
    ['D > NEXT_N_DAYS:3', { D: '2026-11-28' }, true],
    ['D != TODAY', { D: '2026-11-23' }, true],
    ['D IN (2026-01-01, TODAY)', { D: '2026-11-24' }, true],
    ['D = 2026-11-24', { D: null }, false],
    ['D < TODAY', { D: null }, false],
    // DateTimes: instants; a dateTime against a day is taken on its UTC day.
    ['T > 2026-11-24T10:00:00Z', { T: '2026-11-24T10:00:01.000+0000' }, true],
    ['T > 2026-11-24T10:00:00+02:00', { T: '2026-11-24T09:00:00.000+0000' }, true],
    ['T = 2026-11-24T10:00:00Z', { T: '2026-11-24T10:00:00.000+0000' }, true],
    ['T = TODAY', { T: '2026-11-24T23:59:59.000+0000' }, true],
    ['T < TODAY', { T: '2026-11-23T23:59:59.000+0000' }, true],
    // Ids compare in their 18-char form.
    ["AccountId = '001D000000IRFma'", { AccountId: '001D000000IRFmaIAH' }, true],
    ["AccountId = '001d000000irfmaiah'", { AccountId: '001D000000IRFmaIAH' }, true],
    ["AccountId != '001D000000IRFma'", { AccountId: '001D000000IomazIAB' }, true],
  ])('%s with %j → %s', (text, fields, expected) => {
    expect(holds(text, fields)).toBe(expected);
  });

  it('reads Account fields, and treats a contact without an account as all-null there', () => {
    const rule = "Account.Status__c = 'Inactive'";
    expect(holds(rule, {}, { Status__c: 'INACTIVE' })).toBe(true);
    expect(holds(rule, {}, { Status__c: 'Active' })).toBe(false);
    expect(holds(rule, {}, null)).toBe(false);
    expect(holds('Account.Status__c = null', {}, null)).toBe(true);
    expect(holds("Account.Status__c != 'Inactive'", {}, null)).toBe(true);
  });

  it('evaluates the combined example from the brief', () => {
    const rule =
      "Account.Status__c = 'Inactive' AND (Left_Date__c != null OR NOT Email LIKE '%@acme.example')";
    const acme = { Status__c: 'Inactive' };
    expect(holds(rule, { Left_Date__c: null, Email: 'a@acme.example' }, acme)).toBe(false);
    expect(holds(rule, { Left_Date__c: '2026-01-01', Email: 'a@acme.example' }, acme)).toBe(true);
    expect(holds(rule, { Left_Date__c: null, Email: 'a@gmail.example' }, acme)).toBe(true);
    expect(holds(rule, { Left_Date__c: null, Email: null }, acme)).toBe(true);
    expect(
      holds(rule, { Left_Date__c: '2026-01-01', Email: 'a@gmail.example' }, { Status__c: 'Active' }),
    ).toBe(false);
  });

  it('fails loudly on a field that was not read: a rule must never quietly not hold', () => {
    const run = () => holds('Left_Date__c != null', { Email: 'x' });
    expect(run).toThrow(RuleEvaluationError);
    expect(run).toThrow(/Left_Date__c was not read/);
    expect(() => holds("Account.Status__c = 'x'", {}, { Name: 'ACME' })).toThrow(
      expect.objectContaining({ code: 'ROSTER_INTERNAL' }),
    );
  });

  it.each<[string, Record<string, Scalar>]>([
    ["B = 'true'", { B: true }],
    ['S = 5', { S: '5' }],
    ['S = TRUE', { S: 'true' }],
    ['N = 2026-01-01', { N: 5 }],
    ['D < TODAY', { D: 'soon' }],
    ['T > 2026-01-01T00:00:00Z', { T: 'never' }],
    ["N LIKE '5%'", { N: 5 }],
  ])('refuses to compare values of different types: %s with %j', (text, fields) => {
    expect(() => holds(text, fields)).toThrow(expect.objectContaining({ code: 'ROSTER_CONFIG_INVALID' }));
  });
});
