// The one query Roster sends: managed contacts with exactly the fields the config reads, parents nested.
import type { ContactFilter, ContactQuery } from '../../domain/crm.ts';
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

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function idList(ids: string[]): string {
  return ids
    .map((id) => {
      // Ids come from feeds and Salesforce itself; anything else must never reach the SOQL text.
      if (!SALESFORCE_ID.test(id))
        throw new RosterError('ROSTER_SALESFORCE_QUERY', `"${id}" is not a Salesforce record id.`);
      return `'${id}'`;
    })
    .join(', ');
}

export function buildContactSoql(query: ContactQuery, filter?: ContactFilter): string {
  const { contact, account } = neededFields(query);
  const select = [...contact, ...account.map((f) => `Account.${f}`)].join(', ');
  const conditions: string[] = [];
  const scope = query.scope.trim();
  if (scope) conditions.push(`(${scope})`);
  if (filter) {
    const only: string[] = [];
    if (filter.contactIds.length > 0) only.push(`Id IN (${idList(filter.contactIds)})`);
    if (filter.accountIds.length > 0) only.push(`AccountId IN (${idList(filter.accountIds)})`);
    conditions.push(only.length > 0 ? `(${only.join(' OR ')})` : `Id = null`);
  }
  return `SELECT ${select} FROM Contact${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY Id`;
}

/** Changes at or after `since` (an ISO instant), deleted rows included (the caller uses queryAll). */
export function buildChangesSoql(object: 'Account' | 'Contact', since: string): string {
  const at = new Date(since);
  if (Number.isNaN(at.getTime()))
    throw new RosterError('ROSTER_INTERNAL', `"${since}" is not an instant for a change poll.`);
  const literal = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `SELECT Id, SystemModstamp, IsDeleted FROM ${object} WHERE SystemModstamp >= ${literal} ORDER BY SystemModstamp, Id`;
}

export function buildScopeCountSoql(query: ContactQuery): string {
  const scope = query.scope.trim();
  return `SELECT COUNT() FROM Contact${scope ? ` WHERE ${scope}` : ''}`;
}
