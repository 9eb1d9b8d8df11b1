import { describe, expect, it } from 'vitest';
import { bitmapFieldNames, objectsOfTopic, workOf, type ChangeEventHeader } from './change-event-decoding.ts';

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
