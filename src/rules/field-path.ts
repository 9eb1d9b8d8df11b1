// Field paths as rules and match keys write them: `Left_Date__c` or `Account.Status__c`. Only the
// parent Account is reachable: it is the one relationship the CRM adapter reads.
import type { FieldRef } from './condition-ast.ts';

// Salesforce API names: a letter, then letters, digits and underscores (`ns__Field__c`).
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export type FieldPathResult = { ok: true; ref: FieldRef } | { ok: false; reason: string };

export function parseFieldPath(text: string): FieldPathResult {
  const parts = text.trim().split('.');
  const bad = parts.find((p) => !API_NAME.test(p));
  if (bad !== undefined) {
    return { ok: false, reason: `"${text}" is not a field name (expected e.g. Email or Account.Status__c)` };
  }
  const [first, second] = parts;
  if (parts.length === 1 && first) return { ok: true, ref: { object: 'contact', field: first, path: first } };
  if (parts.length === 2 && first && second && first.toLowerCase() === 'account') {
    return { ok: true, ref: { object: 'account', field: second, path: `Account.${second}` } };
  }
  return {
    ok: false,
    reason: `"${text}" reaches through a relationship other than Account; only Contact fields and Account.<Field> are supported`,
  };
}
