// The event reader without gRPC: undecodable events (a payload or a schema Avro cannot read) become a
// count and a resync, logged once per response; a schema lookup that fails is an error to retry instead.
import { describe, expect, it } from 'vitest';
import { CdcEventReader } from './cdc-event-reader.ts';
import type { FetchResponseMsg, PubSubClient, PubSubSession } from './pubsub-client.ts';

const session: PubSubSession = { accessToken: 't', instanceUrl: 'https://x', orgId: '00D000000000001AAA' };
const BROKEN_SCHEMA = JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] });

function reader(getSchema: () => Promise<string>) {
  const errors: object[] = [];
  let lookups = 0;
  const client = {
    getSchema: () => {
      lookups += 1;
      return getSchema();
    },
  } as unknown as PubSubClient;
  const log = {
    info: () => {},
    warn: () => {},
    error: (_m: string, f?: object) => void errors.push(f ?? {}),
  };
  return { r: new CdcEventReader(client, '/data/ContactChangeEvent', log), errors, lookups: () => lookups };
}

const events = (n: number): FetchResponseMsg['events'] =>
  Array.from({ length: n }, (_, i) => ({
    event: { id: `e${i}`, schema_id: 's1', payload: Buffer.from([1, 2, 3]) },
    replay_id: Buffer.alloc(8),
  }));

describe('CdcEventReader', () => {
  it('counts the events of a schema Avro cannot read as undecodable, asking the schema once', async () => {
    const { r, errors, lookups } = reader(async () => BROKEN_SCHEMA);
    expect(await r.read(session, events(3))).toEqual({
      keys: [],
      resync: ['Contact'],
      undecodable: 3,
      lastCommit: null,
    });
    await r.read(session, events(2));
    expect(lookups()).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      feed: 'cdc',
      undecodable: 3,
      eventId: 'e0',
      schemaId: 's1',
      eventIds: ['e0', 'e1', 'e2'],
      error: expect.stringMatching(/schema cannot be read/),
    });
  });

  it('fails the response when the schema cannot be fetched, and asks again next time', async () => {
    let fail = true;
    const { r, lookups } = reader(async () => {
      if (fail) throw new Error('UNAVAILABLE');
      return BROKEN_SCHEMA;
    });
    await expect(r.read(session, events(1))).rejects.toThrow('UNAVAILABLE');
    fail = false;
    expect((await r.read(session, events(1))).undecodable).toBe(1);
    expect(lookups()).toBe(2);
  });
});
