// One large account whose every contact is in scope and has a Docebo user: for volume tests and the
// benchmark, where the question is what retiring N users costs.
import type { Scenario } from './acme-scenario.ts';

export function bigAccountScenario(size: number): Scenario {
  const scenario: Scenario = {
    accounts: [{ ref: 'big', Name: 'Initrode Learning', Status__c: 'Active', Retired_Date__c: null }],
    contacts: [],
    users: [],
  };
  for (let i = 0; i < size; i++) {
    const email = `learner${i}@initrode.example`;
    scenario.contacts.push({
      ref: `big-${i}`,
      accountRef: 'big',
      FirstName: 'Learner',
      LastName: String(i),
      Email: email,
      Docebo_Access__c: true,
      Left_Date__c: null,
    });
    scenario.users.push({
      username: email,
      email,
      first_name: 'Learner',
      last_name: String(i),
      active: true,
      expiration_date: null,
    });
  }
  return scenario;
}

/** A big account and, at ACME (active), Charlie Brown: a cascade and a leaver who must not wait behind it. */
export function cascadeAndLeaverScenario(size: number): Scenario {
  const scenario = bigAccountScenario(size);
  scenario.accounts.push({
    ref: 'acme',
    Name: 'ACME Corporation',
    Status__c: 'Active',
    Retired_Date__c: null,
  });
  scenario.contacts.push({
    ref: 'charlie',
    accountRef: 'acme',
    FirstName: 'Charlie',
    LastName: 'Brown',
    Email: 'charlie.brown@acme.example',
    Docebo_Access__c: true,
    Left_Date__c: null,
  });
  scenario.users.push({
    username: 'charlie.brown@acme.example',
    email: 'charlie.brown@acme.example',
    first_name: 'Charlie',
    last_name: 'Brown',
    active: true,
    expiration_date: null,
  });
  return scenario;
}
