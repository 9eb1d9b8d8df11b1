// What a rule's retireOn field may hold: a date or a dateTime is the retirement date, empty means "the day
// Roster first saw the rule hold", and anything else is a problem of that contact, never "today".
import { describe, expect, it } from 'vitest';
import { factValue, type ContactFacts, type Scalar } from '../domain/crm.ts';
import { account, contact, d, user } from '../../test/helpers/facts.ts';
import { buildPlan, type PlanInput } from './build-plan.ts';
import type { RuleSpec } from './reasons.ts';

const contactLeft: RuleSpec = {
  name: 'contact-left',
  retireOn: 'Left_Date__c',
  fields: ['Status__c'],
  holds: (c: ContactFacts) => factValue(c, 'Status__c') === 'Left',
};
const accountRetired: RuleSpec = {
  name: 'account-retired',
  retireOn: 'Account.Retired_Date__c',
  fields: ['Account.Status__c'],
  holds: (c: ContactFacts) => factValue(c, 'Account.Status__c') === 'Inactive',
};
const active = account(1, 'ACME', { Status__c: 'Active', Retired_Date__c: null });
const TODAY = d('2026-11-24');

function plan(over: Partial<PlanInput>) {
  return buildPlan({
    id: 'plan-1',
    createdAt: '2026-11-24T10:00:00.000Z',
    today: TODAY,
    mode: 'expire',
    contacts: [],
    users: [user(1)],
    matchKeys: [{ docebo: 'email', salesforce: 'Email' }],
    rules: [contactLeft, accountRetired],
    observations: [],
    ...over,
  });
}

const leaver = (value: Scalar) =>
  contact(1, { account: active, fields: { Status__c: 'Left', Left_Date__c: value } });

describe('retireOn values', () => {
  it.each<[string, Scalar, string, 'field' | 'first-seen']>([
    ['a date', '2026-10-31', '2026-10-31', 'field'],
    ['a dateTime (its UTC day)', '2026-10-31T22:30:00.000Z', '2026-10-31', 'field'],
    ['a dateTime with an offset (its UTC day)', '2026-10-31T22:30:00-05:00', '2026-11-01', 'field'],
    ['null (empty field)', null, '2026-11-24', 'first-seen'],
    ['empty text', '', '2026-11-24', 'first-seen'],
    ['blank text', '   ', '2026-11-24', 'first-seen'],
  ])('%s → the date of the retirement', (_name, value, date, dateFrom) => {
    const { plan: p } = plan({ contacts: [leaver(value)] });
    expect(p.items.map((i) => [i.after.expirationDate, i.reasons[0]?.dateFrom])).toEqual([[date, dateFrom]]);
    expect(p.invalid).toEqual([]);
  });

  it.each<[string, Scalar]>([
    ['free text', 'soon'],
    ['a day-first date', '31/10/2026'],
    ['a day that does not exist', '2026-02-30'],
    ['a month that does not exist', '2026-13-01'],
    ['text that starts like a date', '2026-10-31 or so'],
    ['a number', 20261031],
    ['a boolean', true],
  ])('%s (%j) → an invalid contact: reported, nothing written, never "today"', (_name, value) => {
    const c = leaver(value);
    const { plan: p, links, observations } = plan({ contacts: [c] });
    expect(p.items).toEqual([]);
    expect(p.invalid).toEqual([
      {
        contact: { id: c.id, name: c.name, email: c.email },
        account: { id: active.id, name: 'ACME' },
        problems: [{ rule: 'contact-left', field: 'Left_Date__c', value }],
      },
    ]);
    expect(p.summary).toMatchObject({ changes: 0, invalid: 1, linked: 1 });
    // Still linked, and the rule is still seen to hold: only its date is unusable.
    expect(links.map((l) => l.contactId)).toEqual([c.id]);
    expect(observations.add).toEqual([{ contactId: c.id, rule: 'contact-left', firstSeen: TODAY }]);
  });

  it('one unusable date holds back the whole contact, even when another rule has a good one', () => {
    const retired = account(2, 'Globex', { Status__c: 'Inactive', Retired_Date__c: '2026-10-31' });
    const c = contact(1, { account: retired, fields: { Status__c: 'Left', Left_Date__c: 'n/a' } });
    const { plan: p } = plan({ contacts: [c] });
    expect(p.items).toEqual([]);
    expect(p.invalid?.[0]?.problems).toEqual([{ rule: 'contact-left', field: 'Left_Date__c', value: 'n/a' }]);
  });

  it('a sighting is neither added twice nor forgotten while the date is unusable', () => {
    const c = leaver('soon');
    const observations = [{ contactId: c.id, rule: 'contact-left', firstSeen: d('2026-11-01') }];
    expect(plan({ contacts: [c], observations }).observations).toEqual({ add: [], remove: [] });
  });

  it('a rule that does not hold does not look at its date', () => {
    const c = contact(1, { account: active, fields: { Status__c: 'Active', Left_Date__c: 'soon' } });
    const { plan: p } = plan({ contacts: [c] });
    expect(p.invalid).toEqual([]);
    expect(p.items).toEqual([]);
  });

  it('an unmatched contact with an unusable date is reported as both', () => {
    const c = leaver('soon');
    const { plan: p } = plan({ contacts: [c], users: [] });
    expect(p.summary).toMatchObject({ unmatched: 1, invalid: 1 });
  });
});
