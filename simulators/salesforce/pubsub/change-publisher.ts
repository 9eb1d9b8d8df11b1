// Turns committed writes into change events on the bus: one event per record, sharing the transaction's
// key with increasing sequence numbers; UPDATE events carry only the changed fields (the rest null) and
// name them in the changedFields/nulledFields bitmaps. Gap and overflow events carry the header only.
// Every event of a transaction shares its commitNumber: about the commit time in ms × 10^6 plus a
// sequence, as real orgs send (1698100138468892700, reference §3.3), so it is always beyond 2^53.
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
  private lastCommitNumber = 0n;

  constructor(private readonly ctx: PublisherContext) {}

  /** One transaction of record writes. */
  publishChanges(changes: RecordChange[]): BusEvent[] {
    const transactionKey = randomUUID();
    const commit = this.commitNumber(changes[0]?.at ?? this.ctx.now());
    return changes.map((c, i) =>
      this.publish(
        c.type,
        c.at,
        this.header(c.type, [c.id], c.changeType, {
          transactionKey,
          sequenceNumber: i + 1,
          commit,
          at: c.at,
        }),
        c,
      ),
    );
  }

  /** A header-only event: a gap for some records, or an overflow (no record ids). */
  publishGap(entity: SObjectType, changeType: ChangeType, recordIds: string[]): BusEvent {
    const at = this.ctx.now();
    const tx = { transactionKey: randomUUID(), sequenceNumber: 1, commit: this.commitNumber(at), at };
    return this.publish(entity, at, this.header(entity, recordIds, changeType, tx), null);
  }

  /**
   * Events that name their entity's schema but whose payload does not match it (cut short), as a
   * corrupted event would: no Avro reader can decode them.
   */
  publishUndecodable(entity: SObjectType, count: number): BusEvent[] {
    const events: BusEvent[] = [];
    for (let i = 0; i < count; i++) {
      const at = this.ctx.now();
      const tx = { transactionKey: randomUUID(), sequenceNumber: 1, commit: this.commitNumber(at), at };
      const header = this.header(entity, [], 'UPDATE', tx);
      events.push(this.publish(entity, at, header, null, (p) => p.subarray(0, Math.floor(p.length / 2))));
    }
    return events;
  }

  /** Increasing even if the clock steps back: the commit time in ms × 10^6, plus a sequence. */
  private commitNumber(at: number): bigint {
    const base = BigInt(at) * 1_000_000n;
    this.lastCommitNumber = this.lastCommitNumber >= base ? this.lastCommitNumber + 1n : base + 1n;
    return this.lastCommitNumber;
  }

  private header(
    entity: SObjectType,
    recordIds: string[],
    changeType: ChangeType,
    tx: { transactionKey: string; sequenceNumber: number; commit: bigint; at: number },
  ): ChangeEventHeader {
    return {
      entityName: entity,
      recordIds,
      changeType,
      // ⚠ Real events name the API and client for API writes; the simulator cannot tell a REST write from
      // an admin (UI) edit at this level, so it reports every change like a UI edit.
      changeOrigin: '',
      transactionKey: tx.transactionKey,
      sequenceNumber: tx.sequenceNumber,
      commitTimestamp: BigInt(tx.at),
      commitNumber: tx.commit,
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
    mangle: (payload: Buffer) => Buffer = (p) => p,
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
    // toBuffer refuses any value its schema does not allow (a number for a long, an unknown enum symbol).
    const payload = mangle(schema.type.toBuffer({ ChangeEventHeader: header, ...body }));
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
