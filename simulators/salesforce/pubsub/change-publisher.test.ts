// The change events the simulator writes, without gRPC: longs as real orgs send them, written strictly.
import { describe, expect, it } from 'vitest';
import { Schema, SOBJECT_TYPES, type SObjectType } from '../schema.ts';
import { buildEntitySchema, type EntitySchema } from './change-event-schema.ts';
import { ChangePublisher } from './change-publisher.ts';
import { EventBus } from './event-bus.ts';

function world(start = Date.parse('2026-03-02T09:00:00Z')) {
  let now = start;
  const bus = new EventBus(() => now, 72 * 3_600_000);
  const schema = new Schema();
  const schemas = Object.fromEntries(SOBJECT_TYPES.map((t) => [t, buildEntitySchema(schema, t)])) as Record<
    SObjectType,
    EntitySchema
  >;
  const publisher = new ChangePublisher({ bus, schemas, now: () => now, commitUser: '005000000000001AAA' });
  const read = (e: { payload: Buffer }, entity: SObjectType = 'Account') =>
    schemas[entity].type.fromBuffer(e.payload) as Record<string, unknown> & {
      ChangeEventHeader: { commitNumber: bigint; commitTimestamp: bigint };
    };
  return { publisher, schemas, read, setNow: (t: number) => (now = t) };
}

describe('ChangePublisher', () => {
  it('writes commitNumber as commit ms × 10^6 + a sequence: beyond 2^53, increasing, even if the clock steps back', () => {
    const w = world();
    const at = Date.parse('2026-03-02T09:00:00Z');
    const a = w.read(w.publisher.publishGap('Account', 'GAP_OVERFLOW', []));
    const b = w.read(w.publisher.publishGap('Account', 'GAP_OVERFLOW', []));
    expect(a.ChangeEventHeader.commitTimestamp).toBe(BigInt(at));
    expect(a.ChangeEventHeader.commitNumber).toBe(BigInt(at) * 1_000_000n + 1n);
    expect(b.ChangeEventHeader.commitNumber).toBe(BigInt(at) * 1_000_000n + 2n);
    expect(a.ChangeEventHeader.commitNumber > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    w.setNow(at - 1_000);
    const c = w.read(w.publisher.publishGap('Account', 'GAP_OVERFLOW', []));
    expect(c.ChangeEventHeader.commitNumber).toBe(BigInt(at) * 1_000_000n + 3n);
  });

  it('writes dateTime fields as long epoch ms', () => {
    const w = world();
    const [e] = w.publisher.publishChanges([
      {
        type: 'Account',
        id: '001000000000001AAA',
        changeType: 'UPDATE',
        before: { Name: 'ACME', LastModifiedDate: '2026-03-01T00:00:00.000+0000' },
        after: { Name: 'ACME', LastModifiedDate: '2026-03-02T09:00:00.000+0000' },
        at: Date.parse('2026-03-02T09:00:00Z'),
      },
    ]);
    expect(w.read(e!).LastModifiedDate).toBe(BigInt(Date.parse('2026-03-02T09:00:00Z')));
  });

  it('refuses to write a long that is not a 64-bit BigInt, as a real Avro writer would', () => {
    const { schemas } = world();
    const type = schemas.Account.type;
    const header = {
      entityName: 'Account',
      recordIds: ['001000000000001AAA'],
      changeType: 'UPDATE',
      changeOrigin: '',
      transactionKey: 't',
      sequenceNumber: 1,
      commitTimestamp: 1_772_442_000_000n,
      commitNumber: 1_772_442_000_000_000_001n,
      commitUser: '005000000000001AAA',
      nulledFields: [],
      diffFields: [],
      changedFields: [],
    };
    const body = Object.fromEntries(schemas.Account.fields.map((f) => [f.name, null]));
    expect(() => type.toBuffer({ ChangeEventHeader: header, ...body })).not.toThrow();
    for (const commitNumber of [1_772_442_000_000, 2n ** 63n, '1772442000000000001'])
      expect(() => type.toBuffer({ ChangeEventHeader: { ...header, commitNumber }, ...body })).toThrow();
  });
});
