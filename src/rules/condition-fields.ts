// The fields a condition reads, per object, so the CRM adapter can ask Salesforce for exactly those.
import type { Condition, FieldRef } from './condition-ast.ts';

export interface ConditionFields {
  contact: string[];
  account: string[];
}

export function fieldRefs(cond: Condition, into: FieldRef[] = []): FieldRef[] {
  switch (cond.type) {
    case 'compare':
    case 'in':
      into.push(cond.field);
      break;
    case 'not':
      fieldRefs(cond.operand, into);
      break;
    case 'and':
    case 'or':
      for (const c of cond.operands) fieldRefs(c, into);
  }
  return into;
}

/** Adds `name` unless present in another case: SOQL field names are case-insensitive. */
export function addField(list: string[], name: string): void {
  const lower = name.toLowerCase();
  if (!list.some((f) => f.toLowerCase() === lower)) list.push(name);
}

/** Field API names by object, in first-seen order, without case-insensitive duplicates. */
export function conditionFields(cond: Condition): ConditionFields {
  const fields: ConditionFields = { contact: [], account: [] };
  for (const ref of fieldRefs(cond))
    addField(ref.object === 'account' ? fields.account : fields.contact, ref.field);
  return fields;
}

/** Field paths (`Email`, `Account.Status__c`) in first-seen order, without case-insensitive duplicates. */
export function conditionPaths(cond: Condition): string[] {
  const paths: string[] = [];
  for (const ref of fieldRefs(cond)) addField(paths, ref.path);
  return paths;
}
