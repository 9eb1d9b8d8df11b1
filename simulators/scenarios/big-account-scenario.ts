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
