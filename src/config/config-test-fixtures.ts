// Shared fixtures for the config tests: a minimal valid roster.yaml, its environment, and helpers.
import { expect } from 'vitest';
import { RosterError } from '../domain/errors.ts';
import type { ConfigProblem } from './config-problems.ts';

export const MINIMAL = `
salesforce:
  loginUrl: http://127.0.0.1:7101
  auth: { flow: client_credentials, clientId: "\${SF_CLIENT_ID}", clientSecret: "\${SF_CLIENT_SECRET}" }
docebo:
  baseUrl: http://127.0.0.1:7102
  auth: { clientId: "\${DOCEBO_CLIENT_ID}", clientSecret: "\${DOCEBO_CLIENT_SECRET}" }
scope:
  contacts: "Docebo_Access__c = true"
match:
  - { docebo: email, salesforce: Email }
rules:
  - { name: account-retired, when: "Account.Status__c = 'Inactive'", retireOn: Account.Retired_Date__c }
  - { name: contact-left, when: "Left_Date__c != null", retireOn: Left_Date__c }
`;

export const ENV = {
  SF_CLIENT_ID: 'sf-id',
  SF_CLIENT_SECRET: 'sf-TOPSECRET-1',
  DOCEBO_CLIENT_ID: 'dc-id',
  DOCEBO_CLIENT_SECRET: 'dc-TOPSECRET-2',
};

export function problemsOf(run: () => unknown): { error: RosterError; problems: ConfigProblem[] } {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(RosterError);
    const error = e as RosterError;
    expect(error.code).toBe('ROSTER_CONFIG_INVALID');
    return { error, problems: error.details as ConfigProblem[] };
  }
  throw new Error('expected the configuration to be refused');
}

/** MINIMAL with one line replaced (or a line added under a section). */
export const edit = (from: string, to: string) => {
  expect(MINIMAL).toContain(from);
  return MINIMAL.replace(from, to);
};
