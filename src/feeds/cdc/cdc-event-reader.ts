// Turns the events of one Pub/Sub response into work: decodes each with its schema (fetched once per
// schema id), keeps the records it names and asks for a full resync of the topic's objects when an
// event cannot be read or says the feed lost track.
import type { DirtyKey } from '../../domain/work.ts';
import type { Logger } from '../../ports/logger.ts';
import { safeMessage } from './cdc-stream.ts';
import { EventSchema, objectsOfTopic, workOf, type CdcObject } from './change-event-decoding.ts';
import type { FetchResponseMsg, PubSubClient, PubSubSession, ProducerEventMsg } from './pubsub-client.ts';

export interface EventsWork {
  keys: DirtyKey[];
  resync: CdcObject[];
  /** Commit time (epoch ms) of the last event read, for the feed's lag. */
  lastCommit: number | null;
}

export class CdcEventReader {
  private readonly schemas = new Map<string, Promise<EventSchema>>();

  constructor(
    private readonly client: PubSubClient,
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  async read(session: PubSubSession, events: FetchResponseMsg['events']): Promise<EventsWork> {
    const keys = new Map<string, DirtyKey>();
    const resync = new Set<CdcObject>();
    let lastCommit: number | null = null;
    for (const { event } of events) {
      const decoded = event ? await this.decode(session, event) : null;
      if (!decoded) {
        for (const o of objectsOfTopic(this.topic)) resync.add(o);
        continue;
      }
      const work = workOf(decoded.header);
      for (const k of work.keys) keys.set(`${k.kind}:${k.id}`, k);
      for (const o of work.resync) resync.add(o);
      lastCommit = decoded.header.commitTimestamp;
    }
    return { keys: [...keys.values()], resync: [...resync], lastCommit };
  }

  private async decode(session: PubSubSession, event: ProducerEventMsg) {
    const schema = await this.schema(session, event.schema_id);
    try {
      return schema.decode(event.payload);
    } catch (e) {
      this.log.error('Undecodable change event; requesting a resync of its objects', {
        feed: 'cdc',
        eventId: event.id,
        schemaId: event.schema_id,
        error: safeMessage(e),
      });
      return null;
    }
  }

  private schema(session: PubSubSession, schemaId: string): Promise<EventSchema> {
    let s = this.schemas.get(schemaId);
    if (!s) {
      s = this.client.getSchema(session, schemaId).then((json) => new EventSchema(json));
      // A failed lookup (network, expired session) must not be cached.
      s.catch(() => this.schemas.delete(schemaId));
      this.schemas.set(schemaId, s);
    }
    return s;
  }
}
