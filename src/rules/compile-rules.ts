// Rules from the config, parsed once into what the planner needs: a predicate over a contact's facts,
// the field holding the date the retirement takes effect, and the fields shown as a reason's evidence.
import type { ContactFacts } from '../domain/crm.ts';
import type { IsoDate } from '../domain/dates.ts';
import { RosterError } from '../domain/errors.ts';
import type { Condition } from './condition-ast.ts';
import { conditionPaths } from './condition-fields.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { parseFieldPath } from './field-path.ts';
import { parseCondition } from './parse-condition.ts';
import { RuleSyntaxError } from './rule-errors.ts';

export interface RuleConfig {
  name: string;
  /** A SOQL condition over the Contact and `Account.<Field>`. */
  when: string;
  /** Field path of the date the retirement takes effect; absent → the day the rule was first seen to hold. */
  retireOn?: string | null;
}

export interface CompiledRule {
  name: string;
  when: string;
  condition: Condition;
  /** Canonical field path (`Account.Retired_Date__c`), or null. */
  retireOn: string | null;
  /** Same as `retireOn`; the name says what it is for. */
  effectiveDateField: string | null;
  /** Field paths `when` reads, in first-seen order. */
  fields: string[];
  holds(contact: ContactFacts, today: IsoDate): boolean;
}

/** One problem per broken rule, each at its config path, so all of them are reported together. */
export interface RuleProblem {
  path: string;
  message: string;
}

export function compileRule(rule: RuleConfig): CompiledRule {
  const condition = parseCondition(rule.when);
  let retireOn: string | null = null;
  if (rule.retireOn !== undefined && rule.retireOn !== null && rule.retireOn.trim() !== '') {
    const parsed = parseFieldPath(rule.retireOn);
    if (!parsed.ok) throw new RuleSyntaxError(rule.retireOn, parsed.reason);
    retireOn = parsed.ref.path;
  }
  return {
    name: rule.name,
    when: rule.when,
    condition,
    retireOn,
    effectiveDateField: retireOn,
    fields: conditionPaths(condition),
    holds: (contact, today) => evaluateCondition(condition, contact, today),
  };
}

/** Problems in rules, keyed by their position in the list (`rules[1].when`); empty when all compile. */
export function ruleProblems(rules: RuleConfig[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rules.forEach((rule, i) => {
    try {
      parseCondition(rule.when);
    } catch (e) {
      problems.push({
        path: `rules[${i}].when`,
        message: e instanceof RuleSyntaxError ? e.reason : String(e),
      });
    }
    if (rule.retireOn) {
      const parsed = parseFieldPath(rule.retireOn);
      if (!parsed.ok) problems.push({ path: `rules[${i}].retireOn`, message: parsed.reason });
    }
  });
  return problems;
}

export function compileRules(rules: RuleConfig[]): CompiledRule[] {
  const problems = ruleProblems(rules);
  if (problems.length > 0) {
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `Invalid rules:\n${problems.map((p) => `- ${p.path}: ${p.message}`).join('\n')}`,
      { details: problems },
    );
  }
  return rules.map(compileRule);
}
