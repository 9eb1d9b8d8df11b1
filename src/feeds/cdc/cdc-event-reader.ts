// Turns the events of one Pub/Sub response into work: decodes each with its schema (fetched once per
// schema id), keeps the records it names and asks for a full resync of the topic's objects when an
// event cannot be read or says the feed lost track. Undecodable events are counted (the service
// meters, alerts and limits the resyncs) and logged once per response, not once each.
import type { DirtyKey } from '../../domain/work.ts';
import type { Logger } from '../../ports/logger.ts';
import { safeMessage } from './cdc-stream.ts';
import {
  EventSchema,
  objectsOfTopic,
  workOf,
  type CdcObject,
  type DecodedEvent,
} from './change-event-decoding.ts';
import type { FetchResponseMsg, PubSubClient, PubSubSession, ProducerEventMsg } from './pubsub-client.ts';

export interface EventsWork {
  keys: DirtyKey[];
  resync: CdcObject[];
  /** Events that could not be decoded (each puts the topic's objects in `resync`). */
  undecodable: number;
  /** Commit time (epoch ms) of the last event read, for the feed's lag. */
  lastCommit: number | null;
}

/** A schema that decodes, or the reason it cannot: such a schema's events are undecodable, not retried. */
type ReadableSchema = Pick<EventSchema, 'decode'>;

export class CdcEventReader {
  private readonly schemas = new Map<string, Promise<ReadableSchema>>();

  constructor(
    private readonly client: PubSubClient,
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  async read(session: PubSubSession, events: FetchResponseMsg['events']): Promise<EventsWork> {
    const keys = new Map<string, DirtyKey>();
    const resync = new Set<CdcObject>();
    let lastCommit: number | null = null;
    const failed: { eventId: string | null; schemaId: string | null; error: string }[] = [];
    for (const { event } of events) {
      const decoded = event
        ? await this.decode(session, event)
        : { eventId: null, schemaId: null, error: 'no event' };
      if ('error' in decoded) {
        failed.push(decoded);
        for (const o of objectsOfTopic(this.topic)) resync.add(o);
        continue;
      }
      const work = workOf(decoded.header);
      for (const k of work.keys) keys.set(`${k.kind}:${k.id}`, k);
      for (const o of work.resync) resync.add(o);
      lastCommit = decoded.header.commitTimestamp;
    }
    if (failed.length > 0)
      this.log.error('Undecodable change event(s); requesting a resync of their objects', {
        feed: 'cdc',
        undecodable: failed.length,
        ...failed[0],
        ...(failed.length > 1 ? { eventIds: failed.slice(0, 10).map((f) => f.eventId) } : {}),
      });
    return { keys: [...keys.values()], resync: [...resync], undecodable: failed.length, lastCommit };
  }

  private async decode(
    session: PubSubSession,
    event: ProducerEventMsg,
  ): Promise<DecodedEvent | { eventId: string; schemaId: string; error: string }> {
    const schema = await this.schema(session, event.schema_id);
    try {
      return schema.decode(event.payload);
    } catch (e) {
      return { eventId: event.id, schemaId: event.schema_id, error: safeMessage(e) };
    }
  }

  private schema(session: PubSubSession, schemaId: string): Promise<ReadableSchema> {
    let s = this.schemas.get(schemaId);
    if (!s) {
      s = this.client.getSchema(session, schemaId).then(readableSchema);
      // A failed lookup (network, expired session) must not be cached.
      s.catch(() => this.schemas.delete(schemaId));
      this.schemas.set(schemaId, s);
    }
    return s;
  }
}

/** A schema Avro cannot parse will not parse next time either: its events are undecodable. */
function readableSchema(json: string): ReadableSchema {
  try {
    return new EventSchema(json);
  } catch (e) {
    return {
      decode: () => {
        throw new Error(`the event's schema cannot be read: ${safeMessage(e)}`);
      },
    };
  }
}
