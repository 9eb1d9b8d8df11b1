// The Avro schema of each entity's change events, shaped like Salesforce's: the first field is
// ChangeEventHeader, then every record field as a nullable union (unchanged ones are null on an UPDATE),
// without Id, IsDeleted and SystemModstamp, and with the Contact's name as the compound field `Name`.
// changedFields/nulledFields are bitmaps over these top-level positions (reference §3.4). Every Avro
// long (commitTimestamp, commitNumber, dateTime fields) is a BigInt: commitNumber exceeds 2^53.
import { createHash } from 'node:crypto';
import avro from 'avsc';
import type { FieldValue } from '../salesforce-state.ts';
import type { FieldDef, FieldType, Schema, SObjectType } from '../schema.ts';
import { parseDate, parseDateTime } from '../sf-dates.ts';
import { bigintLongs } from './avro-long.ts';

export const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  /** Epoch ms. */
  commitTimestamp: bigint;
  /** The commit's system change number: about the commit time in ms × 10^6, so far beyond 2^53. */
  commitNumber: bigint;
  commitUser: string;
  nulledFields: string[];
  diffFields: string[];
  changedFields: string[];
}

/** A top-level field after the header: a record field, or a compound of several (Contact.Name). */
export interface TopField {
  name: string;
  /** Position in the schema's fields (the header is 0). */
  index: number;
  type: FieldType;
  /** Record field names of a compound field's parts, in schema order. */
  parts?: string[];
}

export interface EntitySchema {
  entity: SObjectType;
  schemaId: string;
  json: string;
  type: avro.Type;
  fields: TopField[];
}

const NS = 'com.sforce.eventbus';
// Salesforce leaves these out of change events; Id travels in the header's recordIds.
const OMITTED = new Set(['Id', 'IsDeleted', 'SystemModstamp']);
const CONTACT_NAME_PARTS = ['FirstName', 'LastName'];

const HEADER_SCHEMA = {
  type: 'record',
  name: 'ChangeEventHeader',
  namespace: NS,
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: { type: 'array', items: 'string' } },
    {
      name: 'changeType',
      type: { type: 'enum', name: 'ChangeType', namespace: NS, symbols: [...CHANGE_TYPES] },
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
};

function avroType(t: FieldType): { type: string; doc: string } {
  switch (t) {
    case 'boolean':
      return { type: 'boolean', doc: 'Data:Boolean' };
    case 'number':
      return { type: 'double', doc: 'Data:Double' };
    // ⚠ The reference says Pub/Sub dates are epoch numbers; date-only fields as days (Avro's date
    // convention) are our assumption. Roster only reads the header, so either works for it.
    case 'date':
      return { type: 'int', doc: 'Data:Date' };
    case 'datetime':
      return { type: 'long', doc: 'Data:DateTime' };
    case 'reference':
      return { type: 'string', doc: 'Data:Reference' };
    default:
      return { type: 'string', doc: `Data:${t === 'email' ? 'Email' : 'Text'}` };
  }
}

function topFields(schema: Schema, entity: SObjectType): TopField[] {
  const out: TopField[] = [];
  const defs: FieldDef[] = schema.fields(entity).filter((f) => !OMITTED.has(f.name));
  for (const f of defs) {
    if (entity === 'Contact' && CONTACT_NAME_PARTS.includes(f.name)) continue;
    if (entity === 'Contact' && f.name === 'Name') {
      out.push({ name: 'Name', index: out.length + 1, type: 'string', parts: CONTACT_NAME_PARTS });
      continue;
    }
    out.push({ name: f.name, index: out.length + 1, type: f.type });
  }
  return out;
}

export function buildEntitySchema(schema: Schema, entity: SObjectType): EntitySchema {
  const fields = topFields(schema, entity);
  const json = JSON.stringify({
    name: `${entity}ChangeEvent`,
    namespace: NS,
    type: 'record',
    doc: `Change event for ${entity}`,
    fields: [
      { name: 'ChangeEventHeader', type: HEADER_SCHEMA, doc: 'Data:EventHeader' },
      ...fields.map((f) => {
        if (f.parts) {
          const record = {
            type: 'record',
            name: f.name,
            namespace: `${NS}.${entity}`,
            fields: f.parts.map((p) => ({ name: p, type: ['null', 'string'], default: null })),
          };
          return { name: f.name, type: ['null', record], doc: 'Data:Compound', default: null };
        }
        const t = avroType(f.type);
        return { name: f.name, type: ['null', t.type], doc: t.doc, default: null };
      }),
    ],
  });
  // Salesforce's schema ids are fingerprints of the schema: same schema, same id.
  const schemaId = createHash('sha256').update(json).digest('base64url').slice(0, 22);
  const type = avro.Type.forSchema(JSON.parse(json), { typeHook: bigintLongs });
  return { entity, schemaId, json, type, fields };
}

/** A record field's value in its Avro form (dateTimes as epoch ms, a long; dates as epoch days). */
export function avroValue(t: FieldType, v: FieldValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (t === 'datetime') {
    const ms = typeof v === 'string' ? parseDateTime(v) : null;
    return ms === null ? null : BigInt(ms);
  }
  if (t === 'date') {
    const ms = typeof v === 'string' ? parseDate(v) : null;
    return ms === null ? null : Math.floor(ms / 86_400_000);
  }
  return v;
}

/** `0x…` over the given positions: bit i set for position i (reference §3.4). */
export function bitmap(positions: number[]): string {
  let n = 0n;
  for (const p of positions) n |= 1n << BigInt(p);
  let hex = n.toString(16).toUpperCase();
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return `0x${hex}`;
}
