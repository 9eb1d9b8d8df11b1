// The one query Roster sends: managed contacts with exactly the fields the config reads, parents nested.
import type { ContactQuery } from '../../domain/crm.ts';
import { RosterError } from '../../domain/errors.ts';

export const BASE_CONTACT_FIELDS = ['Id', 'Name', 'Email', 'AccountId'];
export const BASE_ACCOUNT_FIELDS = ['Id', 'Name'];

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkName(name: string): string {
  // Field names come from validated config; refusing anything else keeps the SOQL free of injection.
  if (!API_NAME.test(name)) {
    throw new RosterError(
      'ROSTER_SALESFORCE_QUERY',
      `"${name}" is not a Salesforce field API name (check roster.yaml).`,
    );
  }
  return name;
}

/** Field lists with duplicates removed case-insensitively (SOQL refuses a field selected twice). */
export function neededFields(query: ContactQuery): { contact: string[]; account: string[] } {
  const dedupe = (names: string[]) => {
    const seen = new Set<string>();
    return names
      .map(checkName)
      .filter((n) => !seen.has(n.toLowerCase()) && (seen.add(n.toLowerCase()), true));
  };
  return {
    contact: dedupe([...BASE_CONTACT_FIELDS, ...query.contactFields]),
    account: dedupe([...BASE_ACCOUNT_FIELDS, ...query.accountFields]),
  };
}

export function buildContactSoql(query: ContactQuery): string {
  const { contact, account } = neededFields(query);
  const select = [...contact, ...account.map((f) => `Account.${f}`)].join(', ');
  const scope = query.scope.trim();
  return `SELECT ${select} FROM Contact${scope ? ` WHERE ${scope}` : ''} ORDER BY Id`;
}

export function buildScopeCountSoql(query: ContactQuery): string {
  const scope = query.scope.trim();
  return `SELECT COUNT() FROM Contact${scope ? ` WHERE ${scope}` : ''}`;
}
