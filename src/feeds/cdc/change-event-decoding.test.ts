import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { longsAsBigInt } from './avro-long.ts';
import {
  bitmapFieldNames,
  EventSchema,
  objectsOfTopic,
  workOf,
  type ChangeEventHeader,
} from './change-event-decoding.ts';

const fields = [
  { name: 'ChangeEventHeader', type: 'record' },
  { name: 'Name', type: ['null', 'string'] },
  { name: 'Status__c', type: ['null', 'string'] },
  { name: 'LastModifiedDate', type: ['null', 'long'] },
  {
    name: 'BillingAddress',
    type: [
      'null',
      { type: 'record', name: 'Address', fields: [{ name: 'Street' }, { name: 'City' }, { name: 'State' }] },
    ],
  },
];

const header = (over: Partial<ChangeEventHeader>): ChangeEventHeader => ({
  entityName: 'Account',
  recordIds: ['001000000000001AAA'],
  changeType: 'UPDATE',
  commitTimestamp: 0,
  changedFields: [],
  nulledFields: [],
  diffFields: [],
  ...over,
});

describe('bitmapFieldNames', () => {
  it.each([
    [['0x0C'], ['Status__c', 'LastModifiedDate']],
    [['0x02'], ['Name']],
    [
      ['0x08', '4-0x06'],
      ['LastModifiedDate', 'BillingAddress.City', 'BillingAddress.State'],
    ],
    [['0x00'], []],
    [['0x20'], ['#5']],
    [['Name'], ['Name']],
  ])('%j → %j', (bitmaps, names) => {
    expect(bitmapFieldNames(fields, bitmaps)).toEqual(names);
  });

  it('reads bitmaps wider than 64 fields', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `F${i}`, type: 'string' }));
    expect(bitmapFieldNames(many, [`0x${(1n << 70n).toString(16)}`])).toEqual(['F70']);
  });
});

describe('workOf', () => {
  const id15 = '001000000000001';
  it.each([
    [
      'UPDATE',
      'Account',
      ['001000000000001AAA'],
      [{ kind: 'account', id: '001000000000001AAA', source: 'cdc' }],
      [],
    ],
    [
      'CREATE',
      'Contact',
      ['003000000000001AAA'],
      [{ kind: 'contact', id: '003000000000001AAA', source: 'cdc' }],
      [],
    ],
    [
      'GAP_DELETE',
      'Contact',
      ['003000000000001AAA'],
      [{ kind: 'contact', id: '003000000000001AAA', source: 'cdc' }],
      [],
    ],
    ['UPDATE', 'Account', [id15], [{ kind: 'account', id: '001000000000001AAA', source: 'cdc' }], []],
    ['GAP_OVERFLOW', 'Account', [], [], ['Account']],
    ['UPDATE', 'Contact', ['003*'], [], ['Contact']],
    ['UPDATE', 'Opportunity', ['006000000000001AAA'], [], []],
  ])('%s %s %j', (changeType, entityName, recordIds, keys, resync) => {
    expect(workOf(header({ changeType, entityName, recordIds }))).toEqual({ keys, resync });
  });
});

describe('objectsOfTopic', () => {
  it('maps channels to the objects they carry', () => {
    expect(objectsOfTopic('/data/ChangeEvents')).toEqual(['Account', 'Contact']);
    expect(objectsOfTopic('/data/AccountChangeEvent')).toEqual(['Account']);
    expect(objectsOfTopic('/data/ContactChangeEvent')).toEqual(['Contact']);
  });
});

// An AccountChangeEvent schema in Salesforce's shape (reference §3.3–3.4), trimmed to a few fields.
const accountEventSchema = JSON.stringify({
  name: 'AccountChangeEvent',
  namespace: 'com.sforce.eventbus',
  type: 'record',
  fields: [
    {
      name: 'ChangeEventHeader',
      doc: 'Data:EventHeader',
      type: {
        type: 'record',
        name: 'ChangeEventHeader',
        fields: [
          { name: 'entityName', type: 'string' },
          { name: 'recordIds', type: { type: 'array', items: 'string' } },
          {
            name: 'changeType',
            type: { type: 'enum', name: 'ChangeType', symbols: ['CREATE', 'UPDATE', 'GAP_OVERFLOW'] },
          },
          { name: 'changeOrigin', type: 'string' },
          { name: 'transactionKey', type: 'string' },
          { name: 'sequenceNumber', type: 'int' },
          { name: 'commitTimestamp', type: 'long' },
          { name: 'commitNumber', type: 'long' },
          { name: 'commitUser', type: 'string' },
          { name: 'nulledFields', type: { type: 'array', items: 'string' } },
          { name: 'diffFields', type: { type: 'array', items: 'string' } },
          { name: 'changedFields', type: { type: 'array', items: 'string' } },
        ],
      },
    },
    { name: 'Name', type: ['null', 'string'], default: null },
    { name: 'Status__c', type: ['null', 'string'], default: null },
    { name: 'LastModifiedDate', type: ['null', 'long'], doc: 'Data:DateTime', default: null },
    { name: 'Big_Number__c', type: ['null', 'long'], default: null },
  ],
});

describe('EventSchema', () => {
  const event = {
    ChangeEventHeader: {
      entityName: 'Account',
      recordIds: ['0014H00002LbR7QQAV'],
      changeType: 'UPDATE',
      changeOrigin: 'com/salesforce/api/soap/58.0;client=SfdcInternalAPI/',
      transactionKey: '000046c7-a2b0-4f5e-8b8a-1c7e3bd2c0de',
      sequenceNumber: 1,
      commitTimestamp: 1696444513000n,
      commitNumber: 1698100138468892700n,
      commitUser: '00558000000yFyDAAU',
      nulledFields: [],
      diffFields: [],
      changedFields: ['0x0C'],
    },
    Name: null,
    Status__c: 'Inactive',
    LastModifiedDate: 1696444513000n,
    Big_Number__c: 2n ** 62n + 3n,
  };
  // Written as Salesforce writes it: a 64-bit long is just a long on the wire.
  const payload = avro.Type.forSchema(JSON.parse(accountEventSchema), { typeHook: longsAsBigInt }).toBuffer(
    event,
  );

  it('decodes a real commitNumber (> 2^53) and long record fields exactly', () => {
    const decoded = new EventSchema(accountEventSchema).decode(payload);
    expect(decoded.header.commitNumber).toBe(1698100138468892700n);
    expect(decoded.header.commitTimestamp).toBe(1696444513000);
    expect(decoded.values).toEqual({
      Name: null,
      Status__c: 'Inactive',
      LastModifiedDate: 1696444513000n,
      Big_Number__c: 2n ** 62n + 3n,
    });
    expect(decoded.changedFields).toEqual(['Status__c', 'LastModifiedDate']);
    expect(workOf(decoded.header)).toEqual({
      keys: [{ kind: 'account', id: '0014H00002LbR7QQAV', source: 'cdc' }],
      resync: [],
    });
  });

  it("reads what avsc's default long type refuses", () => {
    expect(() => avro.Type.forSchema(JSON.parse(accountEventSchema)).fromBuffer(payload)).toThrow(
      /precision loss/,
    );
  });

  it('refuses a payload that does not match its schema', () => {
    const schema = new EventSchema(accountEventSchema);
    expect(() => schema.decode(payload.subarray(0, payload.length - 3))).toThrow();
    expect(() => schema.decode(Buffer.concat([payload, Buffer.from([0])]))).toThrow();
  });
});
