// Salesforce query rows → ContactFacts. Rows are parsed with zod where they enter; values become Roster's
// scalars (dates 'YYYY-MM-DD', dateTimes ISO-8601 with Z); ids are normalised to 18 characters.
import { z } from 'zod';
import type { AccountFacts, ContactFacts, ContactQuery, Scalar } from '../../domain/crm.ts';
import { RosterError } from '../../domain/errors.ts';
import { accountId, contactId, toSalesforceId18 } from '../../domain/ids.ts';

export const queryPageSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});
export type QueryPage = z.infer<typeof queryPageSchema>;

const accountRow = z.looseObject({ Id: z.string(), Name: z.string().nullable().optional() });
const contactRow = z.looseObject({
  Id: z.string(),
  Name: z.string().nullable().optional(),
  Email: z.string().nullable().optional(),
  AccountId: z.string().nullable().optional(),
  Account: accountRow.nullable().optional(),
});

const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Salesforce JSON value → Roster scalar. DateTimes `…+0000` become ISO `…Z`. */
export function toScalar(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (SF_DATETIME.test(v)) {
      const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      return Number.isNaN(ms) ? v : new Date(ms).toISOString();
    }
    return v;
  }
  // Compound fields (addresses) are not scalars; Roster never asks for them, but keep them readable.
  return JSON.stringify(v);
}

// Salesforce answers with the API name's own case; the config may spell it differently.
function pick(row: Record<string, unknown>, name: string): unknown {
  if (name in row) return row[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(row)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

// One key per field however often (and in whatever case) the config names it.
function addOnce(fields: Record<string, Scalar>, name: string, value: unknown): void {
  const lower = name.toLowerCase();
  if (Object.keys(fields).some((k) => k.toLowerCase() === lower)) return;
  fields[name] = toScalar(value);
}

function id18(raw: string, what: string): string {
  const id = toSalesforceId18(raw);
  if (!id)
    throw new RosterError(
      'ROSTER_SALESFORCE_QUERY',
      `Salesforce query returned ${what} "${raw}" that is not a Salesforce id.`,
    );
  return id;
}

export function mapContactRow(raw: Record<string, unknown>, query: ContactQuery): ContactFacts {
  const parsed = contactRow.safeParse(raw);
  if (!parsed.success) {
    throw new RosterError(
      'ROSTER_SALESFORCE_QUERY',
      `Salesforce query returned a Contact row Roster cannot read: ${parsed.error.message}`,
    );
  }
  const row = parsed.data;
  const fields: Record<string, Scalar> = { Email: toScalar(row.Email) };
  for (const name of query.contactFields) addOnce(fields, name, pick(raw, name));
  let account: AccountFacts | null = null;
  if (row.Account) {
    const acc = row.Account as Record<string, unknown>;
    const accFields: Record<string, Scalar> = { Name: toScalar(row.Account.Name) };
    for (const name of query.accountFields) addOnce(accFields, name, pick(acc, name));
    account = {
      id: accountId(id18(row.Account.Id, 'an Account Id')),
      name: row.Account.Name ?? '',
      fields: accFields,
    };
  }
  return {
    id: contactId(id18(row.Id, 'a Contact Id')),
    name: row.Name ?? '',
    email: row.Email ?? null,
    accountId: row.AccountId ? accountId(id18(row.AccountId, 'an AccountId')) : null,
    fields,
    account,
  };
}
