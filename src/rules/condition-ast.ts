// Roster's own tree for a SOQL WHERE condition. The parser library's chain of conditions with paren
// counts is awkward to evaluate and ties us to its quirks; this tree is what the rest of Roster sees.
import type { IsoDate } from '../domain/dates.ts';

/** A field the condition reads: on the Contact itself or on its parent Account (the only relationship). */
export interface FieldRef {
  object: 'contact' | 'account';
  /** API name as written, e.g. `Status__c`. */
  field: string;
  /** The path `factValue` understands: `Email` or `Account.Status__c`. */
  path: string;
}

/** A relative date literal: a range of calendar days relative to `today`, both ends inclusive. */
export interface RelativeDate {
  kind: 'relative-date';
  /** As written (upper-cased), for messages: `TODAY`, `LAST_N_DAYS:30`. */
  text: string;
  /** Offsets from today, in days: TODAY is [0, 0], LAST_N_DAYS:n is [-n, 0], NEXT_N_DAYS:n is [1, n]. */
  fromDays: number;
  toDays: number;
}

export type Literal =
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  /** `value` is unescaped; `raw` keeps the escapes because LIKE gives `\%` and `\_` their own meaning. */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'date'; value: IsoDate }
  /** `epochMs` is the instant; `text` the literal as written. */
  | { kind: 'datetime'; epochMs: number; text: string }
  | RelativeDate;

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export interface Comparison {
  type: 'compare';
  field: FieldRef;
  op: CompareOperator;
  value: Literal;
}

export interface InList {
  type: 'in';
  field: FieldRef;
  /** `NOT IN` */
  negated: boolean;
  values: Literal[];
}

export type Condition =
  | Comparison
  | InList
  | { type: 'and'; operands: Condition[] }
  | { type: 'or'; operands: Condition[] }
  | { type: 'not'; operand: Condition };
