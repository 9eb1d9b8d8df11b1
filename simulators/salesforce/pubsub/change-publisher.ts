// Turns committed writes into change events on the bus: one event per record, sharing the transaction's
// key with increasing sequence numbers; UPDATE events carry only the changed fields (the rest null) and
// name them in the changedFields/nulledFields bitmaps. Gap and overflow events carry the header only.
import { randomUUID } from 'node:crypto';
import type { FieldValue, RecordChange } from '../salesforce-state.ts';
import type { SObjectType } from '../schema.ts';
import {
  avroValue,
  bitmap,
  type ChangeEventHeader,
  type ChangeType,
  type EntitySchema,
  type TopField,
} from './change-event-schema.ts';
import type { BusEvent, EventBus } from './event-bus.ts';

export interface PublisherContext {
  bus: EventBus;
  schemas: Record<SObjectType, EntitySchema>;
  now(): number;
  commitUser: string;
}

export class ChangePublisher {
  private commitNumber = 11_657_372_700_000;

  constructor(private readonly ctx: PublisherContext) {}

  /** One transaction of record writes. */
  publishChanges(changes: RecordChange[]): BusEvent[] {
    const transactionKey = randomUUID();
    return changes.map((c, i) =>
      this.publish(c.type, c.at, this.header(c.type, [c.id], c.changeType, transactionKey, i + 1, c.at), c),
    );
  }

  /** A header-only event: a gap for some records, or an overflow (no record ids). */
  publishGap(entity: SObjectType, changeType: ChangeType, recordIds: string[]): BusEvent {
    const at = this.ctx.now();
    return this.publish(entity, at, this.header(entity, recordIds, changeType, randomUUID(), 1, at), null);
  }

  private header(
    entity: SObjectType,
    recordIds: string[],
    changeType: ChangeType,
    transactionKey: string,
    sequenceNumber: number,
    at: number,
  ): ChangeEventHeader {
    this.commitNumber += 1;
    return {
      entityName: entity,
      recordIds,
      changeType,
      // ⚠ Real events name the API and client for API writes; the simulator cannot tell a REST write from
      // an admin (UI) edit at this level, so it reports every change like a UI edit.
      changeOrigin: '',
      transactionKey,
      sequenceNumber,
      commitTimestamp: at,
      commitNumber: this.commitNumber,
      commitUser: this.ctx.commitUser,
      nulledFields: [],
      diffFields: [],
      changedFields: [],
    };
  }

  private publish(
    entity: SObjectType,
    at: number,
    header: ChangeEventHeader,
    change: RecordChange | null,
  ): BusEvent {
    const schema = this.ctx.schemas[entity];
    const body: Record<string, unknown> = {};
    for (const f of schema.fields) body[f.name] = null;
    if (change && (change.changeType === 'CREATE' || change.changeType === 'UNDELETE')) {
      for (const f of schema.fields) body[f.name] = fullValue(f, change.after);
    } else if (change && change.changeType === 'UPDATE' && change.before) {
      const diff = updateDiff(schema.fields, change.before, change.after);
      Object.assign(body, diff.values);
      header.changedFields = diff.changed;
      header.nulledFields = diff.nulled;
    }
    const payload = schema.type.toBuffer({ ChangeEventHeader: header, ...body });
    return this.ctx.bus.publish({ entity, id: randomUUID(), schemaId: schema.schemaId, payload, at });
  }
}

function fullValue(f: TopField, values: Record<string, FieldValue>): unknown {
  if (!f.parts) return avroValue(f.type, values[f.name]);
  const parts: Record<string, unknown> = {};
  for (const p of f.parts) parts[p] = values[p] ?? null;
  return Object.values(parts).every((v) => v === null) ? null : parts;
}

function updateDiff(
  fields: TopField[],
  before: Record<string, FieldValue>,
  after: Record<string, FieldValue>,
): { values: Record<string, unknown>; changed: string[]; nulled: string[] } {
  const values: Record<string, unknown> = {};
  const changedTop: number[] = [];
  const nulledTop: number[] = [];
  const changedNested: string[] = [];
  const nulledNested: string[] = [];
  for (const f of fields) {
    if (!f.parts) {
      if ((before[f.name] ?? null) === (after[f.name] ?? null)) continue;
      values[f.name] = avroValue(f.type, after[f.name]);
      changedTop.push(f.index);
      if ((after[f.name] ?? null) === null) nulledTop.push(f.index);
      continue;
    }
    const changedParts: number[] = [];
    const nulledParts: number[] = [];
    const parts: Record<string, unknown> = {};
    f.parts.forEach((p, i) => {
      parts[p] = null;
      if ((before[p] ?? null) === (after[p] ?? null)) return;
      parts[p] = after[p] ?? null;
      changedParts.push(i);
      if ((after[p] ?? null) === null) nulledParts.push(i);
    });
    if (changedParts.length === 0) continue;
    values[f.name] = parts;
    changedNested.push(`${f.index}-${bitmap(changedParts)}`);
    if (nulledParts.length > 0) nulledNested.push(`${f.index}-${bitmap(nulledParts)}`);
  }
  const list = (top: number[], nested: string[]) =>
    top.length === 0 && nested.length === 0 ? [] : [bitmap(top), ...nested];
  return { values, changed: list(changedTop, changedNested), nulled: list(nulledTop, nulledNested) };
}
