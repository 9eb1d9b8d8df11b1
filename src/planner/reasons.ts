// Which rules hold for a contact, and from which date each takes effect.
import { factValue, type ContactFacts, type Scalar } from '../domain/crm.ts';
import { parseIsoDate, type IsoDate } from '../domain/dates.ts';
import type { ContactId } from '../domain/ids.ts';
import type { RuleObservation } from '../domain/link.ts';
import type { Reason } from '../domain/plan.ts';

/** A compiled rule as the planner needs it. */
export interface RuleSpec {
  name: string;
  /** Field path holding the retirement date; empty or absent → the day the rule was first seen to hold. */
  retireOn: string | null;
  /** Field paths the rule reads, shown in the plan as the facts behind a reason. */
  fields: string[];
  holds(contact: ContactFacts, today: IsoDate): boolean;
}

export type ObservationIndex = Map<string, IsoDate>;

export const observationKey = (contactId: ContactId, rule: string): string => `${contactId}\u0000${rule}`;

export function indexObservations(observations: RuleObservation[]): ObservationIndex {
  return new Map(observations.map((o) => [observationKey(o.contactId, o.rule), o.firstSeen]));
}

function dateOf(value: Scalar | undefined): IsoDate | null {
  return typeof value === 'string' ? parseIsoDate(value) : null;
}

export function reasonsFor(
  contact: ContactFacts,
  rules: RuleSpec[],
  observations: ObservationIndex,
  today: IsoDate,
): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    if (!rule.holds(contact, today)) continue;
    const facts: Record<string, Scalar> = {};
    for (const path of rule.fields) facts[path] = factValue(contact, path) ?? null;
    const fromField = rule.retireOn ? dateOf(factValue(contact, rule.retireOn)) : null;
    if (rule.retireOn) facts[rule.retireOn] = factValue(contact, rule.retireOn) ?? null;
    const seen = observations.get(observationKey(contact.id, rule.name)) ?? today;
    reasons.push(
      fromField
        ? { rule: rule.name, effectiveDate: fromField, dateFrom: 'field', facts }
        : { rule: rule.name, effectiveDate: seen, dateFrom: 'first-seen', facts },
    );
  }
  return reasons;
}

/** The earliest date among the reasons: a user is retired by whichever rule bites first. */
export function effectiveDate(reasons: Reason[]): IsoDate | null {
  let earliest: IsoDate | null = null;
  for (const r of reasons) if (earliest === null || r.effectiveDate < earliest) earliest = r.effectiveDate;
  return earliest;
}
