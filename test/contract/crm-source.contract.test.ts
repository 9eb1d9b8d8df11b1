// Over 300 lines on purpose: one port's contract, one suite.
// CrmSource contract, run against SalesforceCrmSource talking to the Salesforce simulator over HTTP, once
// per OAuth flow.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startSalesforceSimulator,
  type RunningSalesforceSimulator,
} from '../../simulators/salesforce/index.ts';
import { SalesforceCrmSource } from '../../src/adapters/salesforce/salesforce-crm-source.ts';
import type { SalesforceAuth } from '../../src/config/config-schema.ts';
import type { ContactQuery } from '../../src/domain/crm.ts';
import { RosterError } from '../../src/domain/errors.ts';
import { toSalesforceId18 } from '../../src/domain/ids.ts';

const SECRET = 'cc-secret-value-9f8e7d';
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const OTHERS = 2100;
const query: ContactQuery = {
  scope: 'Docebo_Access__c = true',
  contactFields: ['Email', 'Left_Date__c', 'email', 'CreatedDate'],
  accountFields: ['Status__c', 'Retired_Date__c', 'name'],
};

let sim: RunningSalesforceSimulator;
let ids: Record<string, string>;

beforeAll(async () => {
  sim = await startSalesforceSimulator({
    clientId: 'roster-client',
    clientSecret: SECRET,
    jwtPublicKeyPem: keys.publicKey,
    now: () => new Date('2026-03-10T12:00:00Z'),
    seed: {
      accounts: [
        { ref: 'acme', Name: 'ACME Corporation', Status__c: 'Inactive', Retired_Date__c: '2026-03-01' },
        { ref: 'globex', Name: 'Globex', Status__c: 'Active' },
      ],
      contacts: [
        {
          ref: 'charlie',
          accountRef: 'acme',
          FirstName: 'Charlie',
          LastName: 'Brown',
          Email: 'charlie@acme.example',
          Docebo_Access__c: true,
          Left_Date__c: '2026-02-15',
        },
        {
          ref: 'snoopy',
          accountRef: 'acme',
          FirstName: 'Snoopy',
          LastName: 'Beagle',
          Email: 'snoopy@acme.example',
          Docebo_Access__c: false,
        },
        { ref: 'loner', accountRef: null, LastName: 'Loner', Docebo_Access__c: true },
        ...Array.from({ length: OTHERS }, (_, i) => ({
          ref: `g${i}`,
          accountRef: 'globex',
          LastName: `Person ${i}`,
          Email: `p${i}@globex.example`,
          Docebo_Access__c: true,
        })),
      ],
    },
  });
  const res = await fetch(`${sim.url}/__admin/records/Contact`);
  const contacts = (await res.json()) as { Id: string; LastName: string }[];
  const accounts = (await (await fetch(`${sim.url}/__admin/records/Account`)).json()) as {
    Id: string;
    Name: string;
  }[];
  ids = {
    charlie: contacts.find((c) => c.LastName === 'Brown')?.Id ?? '',
    loner: contacts.find((c) => c.LastName === 'Loner')?.Id ?? '',
    acme: accounts.find((a) => a.Name === 'ACME Corporation')?.Id ?? '',
  };
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.url}/__admin/faults`, { method: 'DELETE' });
  await fetch(`${sim.url}/__admin/calls`, { method: 'DELETE' });
});

const flows: [string, () => SalesforceAuth][] = [
  [
    'client_credentials',
    () => ({ flow: 'client_credentials', clientId: 'roster-client', clientSecret: SECRET }),
  ],
  [
    'jwt',
    () => ({
      flow: 'jwt',
      clientId: 'roster-client',
      username: 'integration@acme.example',
      privateKey: keys.privateKey,
      privateKeyFile: '/nonexistent/key.pem',
      audience: 'https://login.salesforce.com',
    }),
  ],
];

const source = (
  auth: SalesforceAuth,
  over: Partial<ConstructorParameters<typeof SalesforceCrmSource>[0]> = {},
) =>
  new SalesforceCrmSource({
    loginUrl: sim.url,
    apiVersion: '66.0',
    auth,
    batchSize: 200,
    retry: { maxRetries: 2, minTimeout: 5 },
    ...over,
  });

async function failure(p: Promise<unknown>): Promise<RosterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterError);
    return e as RosterError;
  }
  throw new Error('expected a failure');
}

describe.each(flows)('SalesforceCrmSource (%s)', (_flow, auth) => {
  it('reads only contacts in scope, over many pages, with parent fields', async () => {
    const progress: [number, number][] = [];
    const contacts = await source(auth()).fetchContacts(query, (f, t) => progress.push([f, t]));
    expect(contacts).toHaveLength(OTHERS + 2);
    expect(contacts.some((c) => c.email === 'snoopy@acme.example')).toBe(false);
    expect(new Set(contacts.map((c) => c.id)).size).toBe(contacts.length);
    expect(progress.at(-1)).toEqual([OTHERS + 2, OTHERS + 2]);
    expect(progress).toHaveLength(Math.ceil((OTHERS + 2) / 200));

    const calls = sim.calls().filter((c) => c.path.includes('/query'));
    expect(calls[0]?.path).toBe('/services/data/v66.0/query');
    expect(calls.slice(1).every((c) => /^\/services\/data\/v66\.0\/query\/01g\w+-\d+$/.test(c.path))).toBe(
      true,
    );
    expect(calls).toHaveLength(Math.ceil((OTHERS + 2) / 200));

    const charlie = contacts.find((c) => c.id === ids.charlie);
    expect(charlie).toEqual({
      id: ids.charlie,
      name: 'Charlie Brown',
      email: 'charlie@acme.example',
      accountId: ids.acme,
      fields: {
        Email: 'charlie@acme.example',
        Left_Date__c: '2026-02-15',
        CreatedDate: '2026-03-10T12:00:00.000Z',
      },
      account: {
        id: ids.acme,
        name: 'ACME Corporation',
        fields: { Name: 'ACME Corporation', Status__c: 'Inactive', Retired_Date__c: '2026-03-01' },
      },
    });
    expect(toSalesforceId18(charlie?.id ?? '')).toBe(charlie?.id);
    const loner = contacts.find((c) => c.id === ids.loner);
    expect(loner).toMatchObject({
      accountId: null,
      account: null,
      email: null,
      fields: { Left_Date__c: null },
    });
  });

  it('passes the scope to Salesforce as written (a condition on the parent narrows the result)', async () => {
    const contacts = await source(auth()).fetchContacts({
      ...query,
      scope: "Account.Status__c = 'Inactive' AND Docebo_Access__c = true",
    });
    expect(contacts.map((c) => c.id)).toEqual([ids.charlie]);
  });

  it('passes every check of checkAccess', async () => {
    const checks = await source(auth()).checkAccess(query);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['Salesforce login', true],
      ['Salesforce API version 66.0', true],
      ['Salesforce Contact fields readable', true],
      ['Salesforce Account fields readable', true],
      ['Salesforce scope query', true],
    ]);
  });

  it('checks in checkAccess that the date fields are date or datetime fields', async () => {
    const dated = { ...query, dateFields: ['Left_Date__c', 'Account.Retired_Date__c', 'CreatedDate'] };
    expect((await source(auth()).checkAccess(dated)).find((c) => c.name.includes('retireOn'))).toEqual({
      name: 'Salesforce retireOn fields are dates',
      ok: true,
      detail: 'Left_Date__c (date), Account.Retired_Date__c (date), CreatedDate (datetime)',
    });
    const wrong = { ...query, dateFields: ['Account.Status__c', 'Email', 'Left_Date__c'] };
    expect((await source(auth()).checkAccess(wrong)).find((c) => c.name.includes('retireOn'))).toEqual({
      name: 'Salesforce retireOn fields are dates',
      ok: false,
      detail:
        "Account.Status__c is of type string; Email is of type email: a rule's retireOn must name a date or datetime field (or be left empty)",
    });
  });

  it('reports a missing field in checkAccess and as ROSTER_SALESFORCE_QUERY naming the field and the call', async () => {
    const bad = { ...query, contactFields: ['Docebo_Status__c'] };
    const checks = await source(auth()).checkAccess(bad);
    expect(checks.find((c) => c.name === 'Salesforce Contact fields readable')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('Docebo_Status__c'),
    });
    const err = await failure(source(auth()).fetchContacts(bad));
    expect(err.code).toBe('ROSTER_SALESFORCE_QUERY');
    expect(err.message).toContain('Docebo_Status__c');
    expect(err.message).toContain('query for Contacts in scope');
    expect(err.message).toContain('INVALID_FIELD');
  });

  it('classifies a malformed scope as ROSTER_SALESFORCE_QUERY', async () => {
    const err = await failure(
      source(auth()).fetchContacts({ ...query, scope: 'Docebo_Access__c = true AND OR' }),
    );
    expect(err.code).toBe('ROSTER_SALESFORCE_QUERY');
    expect(err.message).toContain('MALFORMED_QUERY');
  });

  it('classifies REQUEST_LIMIT_EXCEEDED as ROSTER_SALESFORCE_LIMIT', async () => {
    const crm = source(auth());
    await crm.checkAccess(query);
    await fetch(`${sim.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        respond: [{ status: 403, times: 1, errorCode: 'REQUEST_LIMIT_EXCEEDED', path: '/query' }],
      }),
    });
    const err = await failure(crm.fetchContacts(query));
    expect(err.code).toBe('ROSTER_SALESFORCE_LIMIT');
    expect(err.retryable).toBe(true);
  });

  it('retries a passing 503 and classifies a lasting one as ROSTER_SALESFORCE_UNAVAILABLE', async () => {
    const crm = source(auth());
    await fetch(`${sim.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ respond: [{ status: 503, times: 1, path: '/query' }] }),
    });
    expect(await crm.fetchContacts({ ...query, scope: "Account.Status__c = 'Inactive'" })).toHaveLength(2);
    await fetch(`${sim.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ respond: [{ status: 503, times: 10, path: '/query' }] }),
    });
    const err = await failure(crm.fetchContacts(query));
    expect(err.code).toBe('ROSTER_SALESFORCE_UNAVAILABLE');
  });

  it('logs in again when the session expires', async () => {
    const crm = source(auth());
    await crm.fetchContacts({ ...query, scope: "Account.Status__c = 'Inactive'" });
    await fetch(`${sim.url}/__admin/expire-sessions`, { method: 'POST' });
    expect(await crm.fetchContacts({ ...query, scope: "Account.Status__c = 'Inactive'" })).toHaveLength(2);
  });
});

describe('SalesforceCrmSource errors', () => {
  const noSecrets = (err: RosterError) => {
    const text = `${err.message} ${String((err.cause as Error | undefined)?.message)} ${JSON.stringify(err.toData())}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toMatch(/00D\w{12,15}!/);
  };

  it('classifies a wrong client secret as ROSTER_SALESFORCE_AUTH without printing secrets', async () => {
    const err = await failure(
      source({
        flow: 'client_credentials',
        clientId: 'roster-client',
        clientSecret: 'wrong-secret-123',
      }).fetchContacts(query),
    );
    expect(err.code).toBe('ROSTER_SALESFORCE_AUTH');
    expect(err.message).toContain('login (client credentials');
    expect(err.message).toContain('invalid_client');
    expect(err.message).not.toContain('wrong-secret-123');
    noSecrets(err);
  });

  it('classifies a JWT with the wrong audience or key as ROSTER_SALESFORCE_AUTH', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const base = {
      flow: 'jwt' as const,
      clientId: 'roster-client',
      username: 'u@acme.example',
      privateKeyFile: '/x',
      audience: 'https://login.salesforce.com',
    };
    const wrongAud = await failure(
      source({ ...base, privateKey: keys.privateKey, audience: sim.url }).fetchContacts(query),
    );
    expect(wrongAud.code).toBe('ROSTER_SALESFORCE_AUTH');
    expect(wrongAud.message).toContain('audience is invalid');
    const wrongKey = await failure(source({ ...base, privateKey: other.privateKey }).fetchContacts(query));
    expect(wrongKey.code).toBe('ROSTER_SALESFORCE_AUTH');
    noSecrets(wrongKey);
    const missingFile = await failure(
      source({ ...base, privateKey: null, privateKeyFile: '/nonexistent/roster.pem' }).fetchContacts(query),
    );
    expect(missingFile.code).toBe('ROSTER_SALESFORCE_AUTH');
  });

  it('classifies an unreachable Salesforce as ROSTER_SALESFORCE_UNAVAILABLE and reports it in checkAccess', async () => {
    const crm = new SalesforceCrmSource({
      loginUrl: 'http://127.0.0.1:9',
      apiVersion: '66.0',
      auth: flows[0]![1](),
      batchSize: 200,
    });
    const err = await failure(crm.fetchContacts(query));
    expect(err.code).toBe('ROSTER_SALESFORCE_UNAVAILABLE');
    expect(err.message).toContain('login');
    const checks = await crm.checkAccess(query);
    expect(checks).toEqual([
      {
        name: 'Salesforce login',
        ok: false,
        detail: expect.stringContaining('ROSTER_SALESFORCE_UNAVAILABLE'),
      },
    ]);
  });

  it('reports an API version the org does not offer', async () => {
    const checks = await source(flows[0]![1](), { apiVersion: '70.0' }).checkAccess(query);
    expect(checks.find((c) => c.name === 'Salesforce API version 70.0')).toMatchObject({ ok: false });
  });
});

describe('SalesforceCrmSource for the event path', () => {
  const auth = (): SalesforceAuth => ({
    flow: 'client_credentials',
    clientId: 'roster-client',
    clientSecret: SECRET,
  });

  it('reads only the contacts a feed named, or every in-scope contact of the accounts it named', async () => {
    const crm = source(auth());
    const byContact = await crm.fetchContacts(query, undefined, {
      contactIds: [ids.charlie as string],
      accountIds: [],
    });
    expect(byContact.map((c) => c.name)).toEqual(['Charlie Brown']);
    const byAccount = await crm.fetchContacts(query, undefined, {
      contactIds: [],
      accountIds: [ids.acme as string],
    });
    // ACME's in-scope people only: Snoopy has no Docebo access.
    expect(byAccount.map((c) => c.name)).toEqual(['Charlie Brown']);
    const none = await crm.fetchContacts(query, undefined, { contactIds: [], accountIds: [] });
    expect(none).toEqual([]);
    await expect(
      crm.fetchContacts(query, undefined, { contactIds: ["x' OR Name != null"], accountIds: [] }),
    ).rejects.toMatchObject({ code: 'ROSTER_SALESFORCE_QUERY' });
  });

  it('lists records changed at or after an instant, with their SystemModstamp, and reports API usage', async () => {
    const crm = source(auth());
    expect(crm.apiUsage()).toBeNull();
    const changed = await crm.changedSince('Account', '2026-03-10T11:00:00.000Z');
    expect(changed).toHaveLength(2); // ACME and Globex, both written at the simulator's fixed instant
    expect(changed.map((c) => c.id)).toContain(ids.acme);
    expect(changed.every((c) => c.deleted === false && c.systemModstamp === '2026-03-10T12:00:00.000Z')).toBe(
      true,
    );
    expect(await crm.changedSince('Account', '2026-03-10T12:00:01.000Z')).toEqual([]);
    expect(crm.apiUsage()).toMatchObject({ used: expect.any(Number), max: expect.any(Number) });
  });
});
