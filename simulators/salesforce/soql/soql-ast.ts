// The SOQL subset the simulator evaluates, after parsing (names as written) and binding (names checked
// against the schema).

export interface FieldPath {
  /** Relationship name as written (`Account`), or null for a field on the queried object. */
  rel: string | null;
  field: string;
  raw: string;
}

export type Literal =
  | { kind: 'null' }
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'date'; value: number; raw: string }
  | { kind: 'datetime'; value: number; raw: string }
  /** TODAY, YESTERDAY, LAST_N_DAYS:n …: a day range resolved against the simulator clock. */
  | { kind: 'range'; name: string; n: number | null };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

export type Condition<F = FieldPath> =
  | { type: 'cmp'; field: F; op: CompareOp; values: Literal[] }
  | { type: 'and' | 'or'; operands: Condition<F>[] }
  | { type: 'not'; operand: Condition<F> };

export interface OrderItem<F = FieldPath> {
  field: F;
  desc: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery<F = FieldPath> {
  object: string;
  /** Empty for `SELECT COUNT()`. */
  fields: F[];
  count: boolean;
  where: Condition<F> | null;
  orderBy: OrderItem<F>[];
  limit: number | null;
  offset: number | null;
}
