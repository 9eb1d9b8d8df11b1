// The simulator's Change Data Capture: a TLS certificate made at startup, the event bus fed by every
// committed write, the gRPC Pub/Sub server, and the admin routes that script gaps, overflows, expiry and
// undecodable events.
import type { FastifyInstance } from 'fastify';
import { generate } from 'selfsigned';
import { requireSObjectType, SOBJECT_TYPES, type SObjectType } from '../schema.ts';
import { SfError } from '../sf-errors.ts';
import type { SimContext } from '../sim-context.ts';
import { buildEntitySchema, type EntitySchema } from './change-event-schema.ts';
import { ChangePublisher } from './change-publisher.ts';
import { EventBus } from './event-bus.ts';
import { startPubSubServer } from './pubsub-server.ts';

export interface PubSubOptions {
  enabled: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Empty FetchResponse after this long without one. Default 270 s, as Salesforce. */
  keepAliveMs?: number;
  /** Events older than this (simulator clock) are gone. Default 72 h. */
  retentionHours?: number;
}

export interface RunningPubSub {
  /** `127.0.0.1:PORT` */
  address: string;
  /** The self-signed certificate clients must trust. */
  certPem: string;
  registerAdminRoutes(app: FastifyInstance): void;
  close(): Promise<void>;
}

const GAP_TYPES = ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE'] as const;

export async function startPubSub(ctx: SimContext, opts: PubSubOptions): Promise<RunningPubSub> {
  const cert = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const now = () => ctx.state.clock.now();
  const bus = new EventBus(now, (opts.retentionHours ?? 72) * 3_600_000);
  const schemas = Object.fromEntries(
    SOBJECT_TYPES.map((t) => [t, buildEntitySchema(ctx.state.schema, t)]),
  ) as Record<SObjectType, EntitySchema>;
  const publisher = new ChangePublisher({ bus, schemas, now, commitUser: ctx.userId });
  const stopListening = ctx.state.onChange((changes) => publisher.publishChanges(changes));
  const server = await startPubSubServer({
    ctx,
    bus,
    schemas,
    port: opts.port ?? 0,
    keepAliveMs: opts.keepAliveMs ?? 270_000,
    cert: { certPem: cert.cert, keyPem: cert.private },
  });

  const body = (raw: unknown): Record<string, unknown> =>
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};

  return {
    address: server.address,
    certPem: cert.cert,
    registerAdminRoutes(app) {
      app.get('/__admin/pubsub', async () => ({
        address: server.address,
        certPem: cert.cert,
        topics: ['/data/ChangeEvents', '/data/AccountChangeEvent', '/data/ContactChangeEvent'],
      }));

      /** A gap event for some records: Salesforce could not build their change event. */
      app.post('/__admin/pubsub/gap', async (req) => {
        const b = body(req.body);
        const entity = requireSObjectType(String(b.entity ?? ''));
        const changeType = b.changeType ?? 'GAP_UPDATE';
        if (!GAP_TYPES.includes(changeType as (typeof GAP_TYPES)[number]))
          throw new SfError(400, 'INVALID_REQUEST', `gap: changeType must be one of ${GAP_TYPES.join(', ')}`);
        const ids = b.recordIds;
        if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string'))
          throw new SfError(400, 'INVALID_REQUEST', 'gap: recordIds must be a non-empty array of ids');
        const e = publisher.publishGap(entity, changeType as (typeof GAP_TYPES)[number], ids as string[]);
        return { replayId: e.replayId.toString() };
      });

      /** GAP_OVERFLOW: a transaction too large to report; no record ids. */
      app.post('/__admin/pubsub/overflow', async (req) => {
        const entity = requireSObjectType(String(body(req.body).entity ?? ''));
        const e = publisher.publishGap(entity, 'GAP_OVERFLOW', []);
        return { replayId: e.replayId.toString() };
      });

      /** Events whose payload does not match their schema (cut short): a consumer cannot decode them. */
      app.post('/__admin/pubsub/undecodable', async (req) => {
        const b = body(req.body);
        const entity = requireSObjectType(String(b.entity ?? ''));
        const count = b.count ?? 1;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000)
          throw new SfError(
            400,
            'INVALID_REQUEST',
            'undecodable: count must be a whole number from 1 to 1000',
          );
        const events = publisher.publishUndecodable(entity, count);
        return { replayIds: events.map((e) => e.replayId.toString()) };
      });

      /** Drops every retained event up to now, as if the retention window had passed. */
      app.post('/__admin/pubsub/expire', async () => ({ expired: bus.expireAll() }));
    },
    close: async () => {
      stopListening();
      await server.close();
    },
  };
}
