// Branded identifiers. Salesforce ids are always kept in their 18-character, case-insensitive form.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type SalesforceId = Brand<string, 'SalesforceId'>;
export type ContactId = Brand<string, 'ContactId'>;
export type AccountId = Brand<string, 'AccountId'>;
export type DoceboUserId = Brand<string, 'DoceboUserId'>;

const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The three-character checksum that turns a 15-char case-sensitive id into the 18-char form. */
export function salesforceIdSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

/** Normalises a 15- or 18-char Salesforce id to 18 chars; null when it is not an id. */
export function toSalesforceId18(raw: string): SalesforceId | null {
  const id = raw.trim();
  if (ID15.test(id)) return (id + salesforceIdSuffix(id)) as SalesforceId;
  if (ID18.test(id)) {
    const head = id.slice(0, 15);
    // The suffix is case-insensitive; a wrong one means this is not a real id.
    if (salesforceIdSuffix(head) !== id.slice(15).toUpperCase()) return null;
    return (head + salesforceIdSuffix(head)) as SalesforceId;
  }
  return null;
}

export const contactId = (raw: string): ContactId => raw as ContactId;
export const accountId = (raw: string): AccountId => raw as AccountId;
export const doceboUserId = (raw: string | number): DoceboUserId => String(raw) as DoceboUserId;
