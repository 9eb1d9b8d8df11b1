// jsforce 3.10.16, unchanged, against the simulator: login by token, query with autoFetch and queryMore,
// sObject CRUD, limit info and session refresh.
import jsforce, { type Connection } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type RunningSalesforceSimulator } from './index.ts';

let sim: RunningSalesforceSimulator;
let conn: Connection;

beforeEach(async () => {
  const contacts = Array.from({ length: 450 }, (_, i) => ({
    ref: `c${i}`,
    accountRef: 'acme',
    LastName: `Person ${String(i).padStart(3, '0')}`,
    Docebo_Access__c: i % 2 === 0,
  }));
  sim = await startSalesforceSimulator({
    seed: { accounts: [{ ref: 'acme', Name: 'ACME', Status__c: 'Active' }], contacts },
  });
  conn = new jsforce.Connection({
    loginUrl: sim.url,
    version: '66.0',
    oauth2: { clientId: 'jsforce-test', clientSecret: 'secret', loginUrl: sim.url },
    refreshFn: (c, cb) => {
      c.authorize({ grant_type: 'client_credentials' }).then(
        () => cb(null, c.accessToken ?? undefined),
        (e: Error) => cb(e),
      );
    },
  });
  await conn.authorize({ grant_type: 'client_credentials' });
});
afterEach(async () => {
  await sim.close();
});

describe('jsforce 3.10.16 against the simulator', () => {
  it('logs in with client credentials and switches to instance_url', () => {
    expect(conn.instanceUrl).toBe(sim.url);
    expect(conn.accessToken).toMatch(/^00D/);
    expect(conn.userInfo?.organizationId).toMatch(/^00D/);
  });

  it('queries with autoFetch over several pages and reads limit info', async () => {
    const result = await conn.query('SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName', {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(result.totalSize).toBe(450);
    expect(result.records).toHaveLength(450);
    expect(result.records[0]).toMatchObject({ LastName: 'Person 000', Account: { Name: 'ACME' } });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 3, limit: 100000 });
  });

  it('follows nextRecordsUrl with queryMore', async () => {
    const first = await conn.query('SELECT Id FROM Contact', {
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore(first.nextRecordsUrl ?? '');
    expect(second.records).toHaveLength(200);
    const third = await conn.queryMore(second.nextRecordsUrl ?? '');
    expect(third).toMatchObject({ done: true });
    expect(third.records).toHaveLength(50);
  });

  it('creates, retrieves, updates and deletes sObjects; queryAll sees the deleted row', async () => {
    const created = await conn
      .sobject('Contact')
      .create({ LastName: 'Brown', FirstName: 'Charlie', Docebo_Access__c: true });
    expect(created).toMatchObject({ success: true });
    const id = created.id ?? '';
    const updated = await conn.sobject('Contact').update({ Id: id, Left_Date__c: '2026-05-01' });
    expect(updated).toMatchObject({ success: true, id });
    const read = await conn.sobject('Contact').retrieve(id);
    expect(read).toMatchObject({ Id: id, Name: 'Charlie Brown', Left_Date__c: '2026-05-01' });
    expect(await conn.sobject('Contact').destroy(id)).toMatchObject({ success: true, id });
    const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
  });

  it('reports Salesforce errors with their errorCode', async () => {
    await expect(conn.query('SELECT Id, Nope__c FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.sobject('Contact').create({ LastName: 'X', Nope__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('re-runs the grant through refreshFn after a 401', async () => {
    await fetch(`${sim.url}/__admin/expire-sessions`, { method: 'POST' });
    const result = await conn.query('SELECT COUNT() FROM Contact WHERE Docebo_Access__c = true');
    expect(result.totalSize).toBe(225);
  });

  it('uses updated/deleted and limits', async () => {
    const end = new Date(Date.now() + 60_000);
    const start = new Date(Date.now() - 3_600_000);
    const updated = await conn.sobject('Contact').updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toHaveLength(450);
    const deleted = await conn.sobject('Contact').deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords).toEqual([]);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(100000);
  });
});
