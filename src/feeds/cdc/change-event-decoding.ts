// Change events from the Pub/Sub API, decoded and turned into "look at these records": the header is
// parsed at the edge, bitmap field lists become names, and every event (CREATE … UNDELETE and the gap
// events alike) marks its record ids dirty; GAP_OVERFLOW or an id we cannot read asks for a resync.
// Every Avro long decodes as a BigInt (avro-long.ts): commitNumber exceeds 2^53 in real orgs.
import avro from 'avsc';
import { z } from 'zod';
import { toSalesforceId18 } from '../../domain/ids.ts';
import type { DirtyKey } from '../../domain/work.ts';
import { longsAsBigInt } from './avro-long.ts';

export type CdcObject = 'Account' | 'Contact';

const headerSchema = z.looseObject({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.string(),
  // Epoch ms, far below 2^53: a number, so the feed can compute its lag.
  commitTimestamp: z
    .bigint()
    .refine((ms) => ms >= 0n && ms <= BigInt(Number.MAX_SAFE_INTEGER), { error: 'not an epoch ms' })
    .transform(Number),
  // Diagnostic only (not even unique); kept exact. Roster does not need it, so it may be missing.
  commitNumber: z.bigint().optional(),
  changedFields: z.array(z.string()).default([]),
  nulledFields: z.array(z.string()).default([]),
  diffFields: z.array(z.string()).default([]),
});
export type ChangeEventHeader = z.infer<typeof headerSchema>;

interface SchemaField {
  name: string;
  type: unknown;
}

export interface DecodedEvent {
  header: ChangeEventHeader;
  /** The record's fields (null where an UPDATE left them unchanged); longs are BigInts. */
  values: Record<string, unknown>;
  changedFields: string[];
  nulledFields: string[];
}

/** A schema from GetSchema, ready to decode payloads and name bitmap positions. */
export class EventSchema {
  private readonly type: avro.Type;
  readonly fields: SchemaField[];

  constructor(json: string) {
    const parsed = JSON.parse(json) as { fields?: SchemaField[] };
    this.fields = parsed.fields ?? [];
    this.type = avro.Type.forSchema(parsed as avro.Schema, { typeHook: longsAsBigInt });
  }

  decode(payload: Buffer): DecodedEvent {
    const { ChangeEventHeader: raw, ...values } = this.type.fromBuffer(payload) as Record<string, unknown>;
    const header = headerSchema.parse(raw);
    return {
      header,
      values,
      changedFields: bitmapFieldNames(this.fields, header.changedFields),
      nulledFields: bitmapFieldNames(this.fields, header.nulledFields),
    };
  }
}

/**
 * Field names from Salesforce's bitmap lists: `0x…` is a bitmap over the top-level schema fields (bit i =
 * field i, the hex read as one number), `p-0x…` one over the parts of compound field p (reference §3.4).
 * Entries that are already names pass through.
 */
export function bitmapFieldNames(fields: SchemaField[], entries: string[]): string[] {
  const names: string[] = [];
  for (const entry of entries) {
    const nested = /^(\d+)-(0x[0-9a-f]+)$/i.exec(entry);
    if (nested) {
      const parent = fields[Number(nested[1])];
      const parts = compoundParts(parent?.type);
      for (const i of setBits(nested[2] as string))
        names.push(`${parent?.name ?? `#${nested[1]}`}.${parts[i]?.name ?? `#${i}`}`);
    } else if (/^0x[0-9a-f]+$/i.test(entry)) {
      for (const i of setBits(entry)) names.push(fields[i]?.name ?? `#${i}`);
    } else {
      names.push(entry);
    }
  }
  return names;
}

function setBits(hex: string): number[] {
  const n = BigInt(hex);
  const out: number[] = [];
  for (let i = 0; n >> BigInt(i) > 0n; i++) if ((n >> BigInt(i)) & 1n) out.push(i);
  return out;
}

function compoundParts(type: unknown): SchemaField[] {
  const candidates = Array.isArray(type) ? type : [type];
  for (const t of candidates) {
    if (t && typeof t === 'object' && Array.isArray((t as { fields?: unknown }).fields))
      return (t as { fields: SchemaField[] }).fields;
  }
  return [];
}

export interface EventWork {
  keys: DirtyKey[];
  resync: CdcObject[];
}

/** What one change event asks Roster to look at. Entities other than Account and Contact are ignored. */
export function workOf(header: ChangeEventHeader): EventWork {
  const entity = header.entityName;
  if (entity !== 'Account' && entity !== 'Contact') return { keys: [], resync: [] };
  if (header.changeType === 'GAP_OVERFLOW') return { keys: [], resync: [entity] };
  const kind = entity === 'Contact' ? 'contact' : 'account';
  const keys: DirtyKey[] = [];
  let unreadable = header.recordIds.length === 0;
  for (const raw of header.recordIds) {
    // Salesforce may send a wildcard such as `001*` after some field type conversions.
    const id = toSalesforceId18(raw);
    if (id) keys.push({ kind, id, source: 'cdc' });
    else unreadable = true;
  }
  return { keys, resync: unreadable ? [entity] : [] };
}

/** The objects a topic carries, for a resync when its events cannot be trusted. */
export function objectsOfTopic(topic: string): CdcObject[] {
  if (topic === '/data/AccountChangeEvent') return ['Account'];
  if (topic === '/data/ContactChangeEvent') return ['Contact'];
  return ['Account', 'Contact'];
}
