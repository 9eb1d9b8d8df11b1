// The org's event bus: change events in commit order, each with an increasing replay id, kept for the
// retention window of the simulator clock (72 h by default). A replay id is usable while nothing after it
// has been dropped; anything older, or never issued, is refused as Salesforce does.
import type { SObjectType } from '../schema.ts';

export interface BusEvent {
  replayId: bigint;
  entity: SObjectType;
  /** ProducerEvent.id: a UUID per event. */
  id: string;
  schemaId: string;
  payload: Buffer;
  /** Commit time on the simulator clock (ms). */
  at: number;
}

export type BusListener = () => void;

export class EventBus {
  private events: BusEvent[] = [];
  private lastIssued: bigint;
  /** Replay id of the newest dropped event: a subscriber at or after it has lost nothing. */
  private floor: bigint;
  private readonly listeners = new Set<BusListener>();

  constructor(
    private readonly now: () => number,
    private readonly retentionMs: number,
    // Real replay ids are large opaque numbers; starting away from zero keeps clients honest.
    start = 4_200n,
  ) {
    this.lastIssued = start;
    this.floor = start;
  }

  publish(e: Omit<BusEvent, 'replayId'>): BusEvent {
    // Not contiguous, like Salesforce's (clients must never compute them).
    this.lastIssued += 1n + BigInt(this.events.length % 3);
    const event = { ...e, replayId: this.lastIssued };
    this.events.push(event);
    for (const l of [...this.listeners]) l();
    return event;
  }

  latest(): bigint {
    return this.lastIssued;
  }

  /** Where EARLIEST starts: just before the oldest retained event. */
  earliest(): bigint {
    this.prune();
    return this.floor;
  }

  /** Whether a subscription may resume after `replayId`. */
  isResumable(replayId: bigint): boolean {
    this.prune();
    return replayId >= this.floor && replayId <= this.lastIssued;
  }

  /** Up to `limit` retained events after `cursor` that `match`. */
  after(cursor: bigint, match: (e: BusEvent) => boolean, limit: number): BusEvent[] {
    this.prune();
    const out: BusEvent[] = [];
    for (const e of this.events) {
      if (out.length >= limit) break;
      if (e.replayId > cursor && match(e)) out.push(e);
    }
    return out;
  }

  /** Drops every event committed at or before now, as if the retention window had passed over them. */
  expireAll(): number {
    return this.dropWhile((e) => e.at <= this.now());
  }

  onPublish(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prune(): void {
    const cutoff = this.now() - this.retentionMs;
    this.dropWhile((e) => e.at < cutoff);
  }

  private dropWhile(drop: (e: BusEvent) => boolean): number {
    let n = 0;
    while (n < this.events.length && drop(this.events[n] as BusEvent)) n++;
    if (n === 0) return 0;
    this.floor = (this.events[n - 1] as BusEvent).replayId;
    this.events = this.events.slice(n);
    return n;
  }
}

export function encodeReplayId(id: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(id);
  return b;
}

/** null for anything that is not an 8-byte big-endian replay id. */
export function decodeReplayId(b: Uint8Array | null | undefined): bigint | null {
  if (!b || b.length !== 8) return null;
  return Buffer.from(b).readBigUInt64BE();
}
