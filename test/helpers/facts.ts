// Builders for domain values in unit tests: only what a test states differs from a plain default.
import type { ContactFacts, Scalar } from '../../src/domain/crm.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { accountId, contactId, doceboUserId, salesforceIdSuffix } from '../../src/domain/ids.ts';
import type { LmsUser } from '../../src/domain/lms.ts';

export const d = (s: string): IsoDate => s as IsoDate;

const id18 = (prefix: string, n: number): string => {
  const id15 = `${prefix}000000${String(n).padStart(6, '0')}`;
  return id15 + salesforceIdSuffix(id15);
};

export function account(n: number, name: string, fields: Record<string, Scalar> = {}) {
  return { id: accountId(id18('001', n)), name, fields: { Name: name, ...fields } };
}

export function contact(
  n: number,
  opts: {
    name?: string;
    email?: string | null;
    account?: ReturnType<typeof account> | null;
    fields?: Record<string, Scalar>;
  } = {},
): ContactFacts {
  const name = opts.name ?? `Person ${n}`;
  const email = opts.email === undefined ? `person${n}@example.com` : opts.email;
  const acct = opts.account ?? null;
  return {
    id: contactId(id18('003', n)),
    name,
    email,
    accountId: acct?.id ?? null,
    fields: { Email: email, ...opts.fields },
    account: acct,
  };
}

export function user(n: number, opts: Partial<Omit<LmsUser, 'id'>> = {}): LmsUser {
  return {
    id: doceboUserId(10000 + n),
    username: opts.username ?? `user${n}`,
    email: opts.email === undefined ? `person${n}@example.com` : opts.email,
    firstName: 'First',
    lastName: `Last${n}`,
    active: opts.active ?? true,
    expirationDate: opts.expirationDate ?? null,
    expired: opts.expired ?? false,
    fields: opts.fields ?? {},
  };
}
