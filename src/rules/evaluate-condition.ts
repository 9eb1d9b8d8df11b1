// Evaluates a parsed condition on one contact's facts. Pure: `today` comes in as a value, so relative
// date literals (TODAY, LAST_N_DAYS:n) mean the same in a test as in production on that day.
import { factValue, type ContactFacts } from '../domain/crm.ts';
import type { IsoDate } from '../domain/dates.ts';
import { compareValue } from './compare-values.ts';
import type { Condition, FieldRef } from './condition-ast.ts';
import { RuleEvaluationError } from './rule-errors.ts';

function read(contact: ContactFacts, field: FieldRef) {
  const value = factValue(contact, field.path);
  if (value === undefined) {
    // The adapter reads every field conditionFields() names, so this is a wiring bug, not bad data.
    throw new RuleEvaluationError(
      'ROSTER_INTERNAL',
      `${field.path} was not read from Salesforce for contact ${contact.id}; it must be in the query's fields`,
    );
  }
  return value;
}

export function evaluateCondition(cond: Condition, contact: ContactFacts, today: IsoDate): boolean {
  switch (cond.type) {
    case 'and':
      return cond.operands.every((c) => evaluateCondition(c, contact, today));
    case 'or':
      return cond.operands.some((c) => evaluateCondition(c, contact, today));
    case 'not':
      return !evaluateCondition(cond.operand, contact, today);
    case 'compare':
      return compareValue(cond.field.path, read(contact, cond.field), cond.op, cond.value, today);
    case 'in': {
      const value = read(contact, cond.field);
      const found = cond.values.some((v) => compareValue(cond.field.path, value, '=', v, today));
      return cond.negated ? !found : found;
    }
  }
}
