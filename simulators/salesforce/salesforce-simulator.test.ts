// Over 300 lines on purpose: one simulator's whole protocol, one suite.
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignJWT, importPKCS8 } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidId18, startSalesforceSimulator, toId18, type RunningSalesforceSimulator } from './index.ts';

const V = '/services/data/v66.0';
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let sim: RunningSalesforceSimulator;
let token: string;

const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});
const tokenCall = (body: Record<string, string>, init: RequestInit = {}) =>
  fetch(`${sim.url}/services/oauth2/token`, {
    ...form(body),
    ...init,
    headers: { ...form(body).headers, ...(init.headers ?? {}) },
  });

async function api(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    ...(init.headers as Record<string, string>),
  };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, {
    ...init,
    headers,
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}
const query = (soql: string, headers: Record<string, string> = {}, resource = 'query') =>
  api(`${V}/${resource}?q=${encodeURIComponent(soql)}`, { headers });
const admin = async (method: string, path: string, json?: unknown) => {
  const res = await fetch(`${sim.url}/__admin${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
};

async function seedContacts(n: number) {
  const contacts = Array.from({ length: n }, (_, i) => ({
    ref: `c${i}`,
    accountRef: 'acme',
    LastName: `Person ${i}`,
    Docebo_Access__c: true,
  }));
  const res = await admin('POST', '/seed', {
    accounts: [{ ref: 'acme', Name: 'ACME', Status__c: 'Active' }],
    contacts,
  });
  return (res.body as { ids: Record<string, string> }).ids;
}

beforeEach(async () => {
  sim = await startSalesforceSimulator({
    clientId: 'roster',
    clientSecret: 's3cret',
    jwtPublicKeyPem: keys.publicKey,
    now: () => new Date('2026-03-10T12:00:00Z'),
  });
  const res = await tokenCall({
    grant_type: 'client_credentials',
    client_id: 'roster',
    client_secret: 's3cret',
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterEach(async () => {
  await sim.close();
});

describe('OAuth token endpoint', () => {
  it('issues a client-credentials token with instance_url pointing at the simulator', async () => {
    const res = await tokenCall({
      grant_type: 'client_credentials',
      client_id: 'roster',
      client_secret: 's3cret',
    });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'api', instance_url: sim.url });
    expect(body.access_token).toMatch(/^00D[a-zA-Z0-9]{12}!/);
    expect(body.id).toMatch(new RegExp(`^${sim.url}/id/00D[a-zA-Z0-9]{15}/005[a-zA-Z0-9]{15}$`));
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.signature).toBeTruthy();
  });

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from('roster:s3cret').toString('base64');
    const res = await tokenCall(
      { grant_type: 'client_credentials' },
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(res.status).toBe(200);
  });

  it.each([
    [{ grant_type: 'client_credentials', client_id: 'roster', client_secret: 'wrong' }, 'invalid_client'],
    [{ grant_type: 'client_credentials', client_id: 'other', client_secret: 's3cret' }, 'invalid_client_id'],
    [{ grant_type: 'password', username: 'u', password: 'p' }, 'unsupported_grant_type'],
    [{ grant_type: 'refresh_token', refresh_token: 'x' }, 'invalid_grant'],
  ])('refuses %j with 400 %s', async (body, error) => {
    const res = await tokenCall(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error, error_description: expect.any(String) });
  });

  it.each(['login.salesforce.com', 'test.salesforce.com:443', 'LOGIN.salesforce.com.'])(
    'refuses client credentials when the Host is the shared login host %s, as Salesforce does',
    async (host) => {
      // fetch may not set Host; node:http may. The simulator only ever listens on 127.0.0.1.
      const res = await rawPost(`${sim.url}/services/oauth2/token`, host, {
        grant_type: 'client_credentials',
        client_id: 'roster',
        client_secret: 's3cret',
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({
        error: 'invalid_grant',
        error_description: 'request not supported on this domain',
      });
      const myDomain = await rawPost(`${sim.url}/services/oauth2/token`, 'acme.my.salesforce.com', {
        grant_type: 'client_credentials',
        client_id: 'roster',
        client_secret: 's3cret',
      });
      expect(myDomain.status).toBe(200);
    },
  );

  describe('JWT bearer', () => {
    const assertion = async (
      claims: { iss?: string; sub?: string; aud?: string; exp?: number },
      pem = keys.privateKey,
    ) => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setExpirationTime(claims.exp ?? now + 180);
      if (claims.iss !== undefined) jwt.setIssuer(claims.iss);
      if (claims.sub !== undefined) jwt.setSubject(claims.sub);
      if (claims.aud !== undefined) jwt.setAudience(claims.aud);
      return jwt.sign(await importPKCS8(pem, 'RS256'));
    };
    const good = { iss: 'roster', sub: 'integration@acme.example', aud: 'https://login.salesforce.com' };
    const grant = async (a: string) =>
      tokenCall({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a });

    it('exchanges a valid RS256 assertion for a session without refresh token', async () => {
      const res = await grant(await assertion(good));
      const body = (await res.json()) as Record<string, string>;
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', instance_url: sim.url });
      expect(body.refresh_token).toBeUndefined();
      const info = await fetch(`${sim.url}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(await info.json()).toMatchObject({
        preferred_username: good.sub,
        organization_id: expect.stringMatching(/^00D/),
      });
    });

    it('accepts the sandbox audience', async () => {
      expect((await grant(await assertion({ ...good, aud: 'https://test.salesforce.com' }))).status).toBe(
        200,
      );
    });

    it.each([
      [
        'a My Domain audience',
        { ...good, aud: 'https://acme.my.salesforce.com' },
        'invalid_grant',
        'audience is invalid',
      ],
      [
        'another client id',
        { ...good, iss: 'someone-else' },
        'invalid_client_id',
        'client identifier invalid',
      ],
      [
        'an expired exp',
        { ...good, exp: Math.floor(Date.now() / 1000) - 600 },
        'invalid_grant',
        'expired authorization code',
      ],
      ['no sub', { iss: good.iss, aud: good.aud }, 'invalid_grant', 'invalid assertion'],
    ])('refuses %s', async (_what, claims, error, description) => {
      const res = await grant(await assertion(claims));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error, error_description: description });
    });

    it('refuses an assertion signed by another key', async () => {
      const other = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const res = await grant(await assertion(good, other.privateKey));
      expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    });
  });
});

describe('REST API basics', () => {
  it('lists versions without auth', async () => {
    const res = await fetch(`${sim.url}/services/data/`);
    const versions = (await res.json()) as { version: string; label: string; url: string }[];
    expect(versions).toContainEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    expect(versions).toContainEqual({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
  });

  it('requires a valid bearer token: 401 INVALID_SESSION_ID', async () => {
    token = 'nope';
    const res = await query('SELECT Id FROM Contact');
    expect(res.status).toBe(401);
    expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('expires sessions on request (admin) so clients can exercise re-login', async () => {
    await admin('POST', '/expire-sessions');
    expect((await query('SELECT Id FROM Contact')).status).toBe(401);
  });

  it('counts API usage in Sforce-Limit-Info and /limits, not admin calls', async () => {
    await query('SELECT Id FROM Contact');
    await admin('GET', '/calls');
    const res = await api(`${V}/limits`);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=2/100000');
    expect(res.body).toMatchObject({ DailyApiRequests: { Max: 100000, Remaining: 99998 } });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED when the allocation is used up', async () => {
    await admin('POST', '/api-usage', { used: 10, max: 10 });
    const res = await query('SELECT Id FROM Contact');
    expect(res.status).toBe(403);
    expect(res.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
  });

  it('refuses unknown API versions', async () => {
    expect((await api('/services/data/v99.0/limits')).status).toBe(404);
    expect((await api('/services/data/v20.0/limits')).status).toBe(410);
  });
});

describe('query and queryAll', () => {
  it('pages by Sforce-Query-Options batchSize through nextRecordsUrl', async () => {
    await seedContacts(450);
    const first = await query('SELECT Id, LastName FROM Contact ORDER BY LastName', {
      'Sforce-Query-Options': 'batchSize=200',
    });
    const p1 = first.body as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    expect(p1).toMatchObject({ totalSize: 450, done: false });
    expect(p1.records).toHaveLength(200);
    expect(p1.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[a-zA-Z0-9]{15}-200$/);
    const p2 = (await api(p1.nextRecordsUrl)).body as typeof p1;
    expect(p2.records).toHaveLength(200);
    const p3 = (await api(p2.nextRecordsUrl)).body as typeof p1;
    expect(p3).toMatchObject({ done: true, totalSize: 450 });
    expect(p3.records).toHaveLength(50);
    expect(p3.nextRecordsUrl).toBeUndefined();
  });

  it('clamps batchSize to 200–2000 and defaults to 2000', async () => {
    await seedContacts(2100);
    const page = async (h: Record<string, string>) =>
      ((await query('SELECT Id FROM Contact', h)).body as { records: unknown[] }).records.length;
    expect(await page({})).toBe(2000);
    expect(await page({ 'Sforce-Query-Options': 'batchSize=50' })).toBe(200);
    expect(await page({ 'Sforce-Query-Options': 'batchSize=5000' })).toBe(2000);
  });

  it('returns attributes, canonical field names, nested parents and null lookups', async () => {
    const ids = (
      await admin('POST', '/seed', {
        accounts: [{ ref: 'a', Name: 'ACME', Status__c: 'Inactive', Retired_Date__c: '2026-03-01' }],
        contacts: [
          {
            ref: 'c',
            accountRef: 'a',
            FirstName: 'Charlie',
            LastName: 'Brown',
            Email: 'charlie@acme.example',
          },
          { ref: 'o', accountRef: null, LastName: 'Orphan' },
        ],
      })
    ).body as { ids: Record<string, string> };
    const res = await query(
      'SELECT id, name, account.status__c, Account.Retired_Date__c, CreatedDate FROM Contact ORDER BY Name',
    );
    expect(res.status).toBe(200);
    const [charlie, orphan] = (res.body as { records: Record<string, unknown>[] }).records;
    expect(charlie).toEqual({
      attributes: { type: 'Contact', url: `${V}/sobjects/Contact/${ids.ids.c}` },
      Id: ids.ids.c,
      Name: 'Charlie Brown',
      Account: {
        attributes: { type: 'Account', url: `${V}/sobjects/Account/${ids.ids.a}` },
        Status__c: 'Inactive',
        Retired_Date__c: '2026-03-01',
      },
      CreatedDate: '2026-03-10T12:00:00.000+0000',
    });
    expect(orphan).toMatchObject({ Name: 'Orphan', Account: null });
  });

  it('shows deleted rows only to queryAll, with IsDeleted = true', async () => {
    const ids = await seedContacts(2);
    expect((await api(`${V}/sobjects/Contact/${ids.c0}`, { method: 'DELETE' })).status).toBe(204);
    const live = await query('SELECT Id FROM Contact');
    expect((live.body as { totalSize: number }).totalSize).toBe(1);
    const all = await query('SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true', {}, 'queryAll');
    expect((all.body as { records: unknown[] }).records).toEqual([
      expect.objectContaining({ Id: ids.c0, IsDeleted: true }),
    ]);
  });

  it.each([
    ['SELECT Id FRM Contact', 'MALFORMED_QUERY'],
    ['SELECT Id, Nope__c FROM Contact', 'INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE Status__c = null', 'INVALID_FIELD'],
  ])('answers 400 %s → %s in the error array shape', async (soql, errorCode) => {
    const res = await query(soql);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: expect.any(String), errorCode }]);
  });

  it('answers 400 INVALID_QUERY_LOCATOR for an unknown locator', async () => {
    const res = await api(`${V}/query/01gRO0000000000AAA-2000`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });
});

describe('sObject CRUD', () => {
  it('creates, reads, updates and deletes with 18-char checksummed ids and maintained modstamps', async () => {
    const acc = await api(`${V}/sobjects/Account`, {
      method: 'POST',
      json: { Name: 'ACME', Status__c: 'Active' },
    });
    expect(acc.status).toBe(201);
    const accountId = (acc.body as { id: string }).id;
    expect(acc.body).toEqual({ id: accountId, success: true, errors: [] });
    expect(accountId.slice(0, 3)).toBe('001');
    expect(isValidId18(accountId)).toBe(true);

    const con = await api(`${V}/sobjects/Contact`, {
      method: 'POST',
      json: { LastName: 'Brown', FirstName: 'Charlie', AccountId: accountId, Docebo_Access__c: true },
    });
    const contactId = (con.body as { id: string }).id;
    expect(contactId.slice(0, 3)).toBe('003');
    expect(isValidId18(contactId)).toBe(true);

    await admin('POST', '/clock', { advanceDays: 2 });
    expect(
      (
        await api(`${V}/sobjects/Contact/${contactId}`, {
          method: 'PATCH',
          json: { Left_Date__c: '2026-03-12' },
        })
      ).status,
    ).toBe(204);
    const read = await api(`${V}/sobjects/Contact/${contactId}`);
    expect(read.body).toMatchObject({
      attributes: { type: 'Contact', url: `${V}/sobjects/Contact/${contactId}` },
      Id: contactId,
      Name: 'Charlie Brown',
      AccountId: accountId,
      Left_Date__c: '2026-03-12',
      CreatedDate: '2026-03-10T12:00:00.000+0000',
      LastModifiedDate: '2026-03-12T12:00:00.000+0000',
      SystemModstamp: '2026-03-12T12:00:00.000+0000',
    });
    expect((await api(`${V}/sobjects/Contact/${contactId.slice(0, 15)}?fields=Id,Email`)).body).toMatchObject(
      { Id: contactId, Email: null },
    );

    expect((await api(`${V}/sobjects/Contact/${contactId}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await api(`${V}/sobjects/Contact/${contactId}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED' }]);
  });

  it('refuses undeclared fields with INVALID_FIELD', async () => {
    const res = await api(`${V}/sobjects/Contact`, {
      method: 'POST',
      json: { LastName: 'X', Favourite_Colour__c: 'blue' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: expect.stringContaining("No such column 'Favourite_Colour__c' on entity 'Contact'"),
        errorCode: 'INVALID_FIELD',
      },
    ]);
  });

  it('refuses read-only fields, missing required fields and bad values', async () => {
    const post = (json: unknown) => api(`${V}/sobjects/Contact`, { method: 'POST', json });
    expect(
      ((await post({ LastName: 'X', IsDeleted: true })).body as { errorCode: string }[])[0]?.errorCode,
    ).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(((await post({ FirstName: 'X' })).body as { errorCode: string }[])[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });
    expect(
      ((await post({ LastName: 'X', Left_Date__c: 'soon' })).body as { errorCode: string }[])[0]?.errorCode,
    ).toBe('JSON_PARSER_ERROR');
    expect(
      (
        (await post({ LastName: 'X', AccountId: toId18('001RO0000000zzz') })).body as { errorCode: string }[]
      )[0]?.errorCode,
    ).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect(
      ((await post({ LastName: 'X', AccountId: '001RO0000000000AAA' })).body as { errorCode: string }[])[0]
        ?.errorCode,
    ).toBe('MALFORMED_ID');
  });

  it('describes Contact with declared custom fields', async () => {
    const res = await api(`${V}/sobjects/Contact/describe`);
    const fields = (res.body as { fields: { name: string; type: string }[] }).fields;
    expect(fields).toContainEqual(expect.objectContaining({ name: 'Left_Date__c', type: 'date' }));
    expect(fields).toContainEqual(
      expect.objectContaining({ name: 'AccountId', type: 'reference', relationshipName: 'Account' }),
    );
  });

  it('describes each field with the type Salesforce gives it (what doctor checks a retireOn against)', async () => {
    const account = (await api(`${V}/sobjects/Account/describe`)).body as {
      fields: { name: string; type: string }[];
    };
    expect(account.fields.map((f) => [f.name, f.type])).toEqual(
      expect.arrayContaining([
        ['Retired_Date__c', 'date'],
        ['Status__c', 'string'],
        ['SystemModstamp', 'datetime'],
        ['Id', 'id'],
      ]),
    );
    const unknown = await api(`${V}/sobjects/Opportunity/describe`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it('cascades an Account delete to its Contacts', async () => {
    const ids = await seedContacts(2);
    await api(`${V}/sobjects/Account/${ids.acme}`, { method: 'DELETE' });
    expect(((await query('SELECT Id FROM Contact')).body as { totalSize: number }).totalSize).toBe(0);
  });
});

describe('updated and deleted resources', () => {
  it('lists ids changed and deleted in a window', async () => {
    const ids = await seedContacts(3);
    await admin('POST', '/clock', { now: '2026-03-11T09:00:00Z' });
    await admin('PATCH', `/sobjects/Contact/${ids.c1}`, { Left_Date__c: '2026-03-11' });
    await api(`${V}/sobjects/Contact/${ids.c2}`, { method: 'DELETE' });
    const window = 'start=2026-03-11T00:00:00%2B00:00&end=2026-03-11T10:00:00%2B00:00';
    const updated = await api(`${V}/sobjects/Contact/updated/?${window}`);
    expect(updated.body).toEqual({ ids: [ids.c1], latestDateCovered: '2026-03-11T09:00:00.000+0000' });
    const deleted = await api(`${V}/sobjects/Contact/deleted/?${window}`);
    expect(deleted.body).toEqual({
      deletedRecords: [{ id: ids.c2, deletedDate: '2026-03-11T09:00:00.000+0000' }],
      earliestDateAvailable: '2026-02-24T09:00:00.000+0000',
      latestDateCovered: '2026-03-11T09:00:00.000+0000',
    });
  });

  it('refuses an /updated start more than 30 days back', async () => {
    const res = await api(
      `${V}/sobjects/Contact/updated/?start=2026-01-01T00:00:00Z&end=2026-03-10T00:00:00Z`,
    );
    expect(res.status).toBe(400);
    expect((res.body as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});

describe('admin surface', () => {
  it('records calls (path without query, token calls included) and clears them', async () => {
    await query('SELECT Id FROM Contact');
    const calls = (await admin('GET', '/calls')).body;
    expect(calls).toEqual([
      { method: 'POST', path: '/services/oauth2/token', status: 200 },
      { method: 'GET', path: `${V}/query`, status: 200 },
    ]);
    expect(sim.calls()).toEqual(calls);
    await admin('DELETE', '/calls');
    expect((await admin('GET', '/calls')).body).toEqual([]);
  });

  it('scripts faults in order, each for `times` requests', async () => {
    await admin('POST', '/faults', {
      respond: [
        { status: 503, times: 2 },
        { status: 403, times: 1, errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ],
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await query('SELECT Id FROM Contact')).status);
    expect(statuses).toEqual([503, 503, 403, 200]);
    await admin('POST', '/faults', { respond: [{ status: 500, times: 5 }] });
    await admin('DELETE', '/faults');
    expect((await query('SELECT Id FROM Contact')).status).toBe(200);
  });

  it('updates records like a real write and lists them', async () => {
    const ids = await seedContacts(1);
    await admin('POST', '/clock', { now: '2026-04-01T00:00:00Z' });
    const res = await admin('PATCH', `/sobjects/Account/${ids.acme}`, {
      Status__c: 'Inactive',
      Retired_Date__c: '2026-04-01',
    });
    expect(res.body).toMatchObject({ Status__c: 'Inactive', SystemModstamp: '2026-04-01T00:00:00.000+0000' });
    const accounts = (await admin('GET', '/records/Account')).body as Record<string, unknown>[];
    expect(accounts).toEqual([expect.objectContaining({ Id: ids.acme, Status__c: 'Inactive' })]);
    expect((await admin('PATCH', `/sobjects/Account/${ids.acme}`, { Nope__c: 1 })).status).toBe(400);
  });
});

/** A form POST with an explicit Host header (fetch treats Host as a forbidden header). */
function rawPost(url: string, host: string, form: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = httpRequest(
      url,
      { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
