// Which rules hold for a contact, and from which date each takes effect.
import { factValue, type ContactFacts, type Scalar } from '../domain/crm.ts';
import { parseDateOrDateTime, type IsoDate } from '../domain/dates.ts';
import type { ContactId } from '../domain/ids.ts';
import type { RuleObservation } from '../domain/link.ts';
import type { DateProblem, Reason } from '../domain/plan.ts';

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

/** The rules that hold for a contact: with a usable date (reasons) or with a retireOn value that is not one. */
export interface ContactReasons {
  reasons: Reason[];
  problems: DateProblem[];
}

type RetireOnValue = { date: IsoDate } | { empty: true } | { invalid: Scalar };

// Empty means "no date yet" (first seen); anything else must be a date or a dateTime. A number, a
// boolean or free text is never read as "today": that would retire someone on a guess.
function readRetireOn(value: Scalar | undefined): RetireOnValue {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return { empty: true };
  const date = typeof value === 'string' ? parseDateOrDateTime(value) : null;
  return date ? { date } : { invalid: value };
}

export function reasonsFor(
  contact: ContactFacts,
  rules: RuleSpec[],
  observations: ObservationIndex,
  today: IsoDate,
): ContactReasons {
  const reasons: Reason[] = [];
  const problems: DateProblem[] = [];
  for (const rule of rules) {
    if (!rule.holds(contact, today)) continue;
    const facts: Record<string, Scalar> = {};
    for (const path of rule.fields) facts[path] = factValue(contact, path) ?? null;
    const raw = rule.retireOn ? factValue(contact, rule.retireOn) : undefined;
    const retireOn = readRetireOn(raw);
    if (rule.retireOn) facts[rule.retireOn] = raw ?? null;
    if (rule.retireOn && 'invalid' in retireOn) {
      problems.push({ rule: rule.name, field: rule.retireOn, value: retireOn.invalid });
      continue;
    }
    const seen = observations.get(observationKey(contact.id, rule.name)) ?? today;
    reasons.push(
      'date' in retireOn
        ? { rule: rule.name, effectiveDate: retireOn.date, dateFrom: 'field', facts }
        : { rule: rule.name, effectiveDate: seen, dateFrom: 'first-seen', facts },
    );
  }
  return { reasons, problems };
}

/** The earliest date among the reasons: a user is retired by whichever rule bites first. */
export function effectiveDate(reasons: Reason[]): IsoDate | null {
  let earliest: IsoDate | null = null;
  for (const r of reasons) if (earliest === null || r.effectiveDate < earliest) earliest = r.effectiveDate;
  return earliest;
}
