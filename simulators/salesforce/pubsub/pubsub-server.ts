// The Pub/Sub API over gRPC with TLS: Subscribe (pull-based: events flow only against num_requested,
// at most 100 outstanding), GetSchema and GetTopic. Every call must carry the metadata accesstoken,
// instanceurl and tenantid of a live REST session; a stream whose session ends fails UNAUTHENTICATED at
// its next message. Errors carry Salesforce's `error-code` trailer.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SObjectType } from '../schema.ts';
import type { SimContext } from '../sim-context.ts';
import type { EntitySchema } from './change-event-schema.ts';
import { decodeReplayId, encodeReplayId, type BusEvent, type EventBus } from './event-bus.ts';

export const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url));
export const MAX_NUM_REQUESTED = 100;

/** Topic name → the entities it carries. Case-sensitive, as Salesforce's. */
export const TOPICS: Record<string, SObjectType[]> = {
  '/data/ChangeEvents': ['Account', 'Contact'],
  '/data/AccountChangeEvent': ['Account'],
  '/data/ContactChangeEvent': ['Contact'],
};

// Codes Salesforce puts in the `error-code` trailer (seen in client code handling them; ⚠ not in the
// reference document itself).
const ERR_AUTH = 'sfdc.platform.eventbus.grpc.service.auth.error';
const ERR_REPLAY = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
const ERR_TOPIC = 'sfdc.platform.eventbus.grpc.subscription.topic.notfound';
const ERR_ARG = 'sfdc.platform.eventbus.grpc.fetch.invalid.argument';

interface FetchRequest {
  topic_name: string;
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id: Buffer;
  num_requested: number;
  auth_refresh: string;
}

interface FetchResponse {
  events: { event: { id: string; schema_id: string; payload: Buffer; headers: [] }; replay_id: Buffer }[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface PubSubServerOptions {
  ctx: SimContext;
  bus: EventBus;
  schemas: Record<SObjectType, EntitySchema>;
  port: number;
  keepAliveMs: number;
  cert: { certPem: string; keyPem: string };
}

export interface RunningPubSubServer {
  address: string;
  close(): Promise<void>;
}

type GrpcError = Partial<grpc.StatusObject> & { code: grpc.status };

function rpcError(code: grpc.status, details: string, errorCode: string, rpcId: string): GrpcError {
  const metadata = new grpc.Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return { code, details: `${errorCode}: ${details} rpcId: ${rpcId}`, metadata };
}

export function loadPubSubService(): grpc.ServiceDefinition {
  const def = protoLoader.loadSync(PROTO_PATH, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  return pkg.eventbus.v1.PubSub.service;
}

export async function startPubSubServer(opts: PubSubServerOptions): Promise<RunningPubSubServer> {
  const { ctx, bus, schemas } = opts;
  const streams = new Set<() => void>();

  const authProblem = (md: grpc.Metadata): string | null => {
    const one = (k: string) => {
      const v = md.get(k)[0];
      return typeof v === 'string' ? v : undefined;
    };
    const token = one('accesstoken');
    if (!token || !ctx.sessions.has(token)) return 'The access token is missing, invalid or expired.';
    const instance = (one('instanceurl') ?? '').replace(/\/+$/, '');
    if (instance !== ctx.baseUrl()) return 'The instance URL does not match the access token.';
    const tenant = one('tenantid') ?? '';
    if (tenant !== ctx.orgId && tenant !== ctx.orgId.slice(0, 15))
      return 'The tenant ID does not match the access token.';
    return null;
  };
  const unauthenticated = (why: string, rpcId: string) =>
    rpcError(grpc.status.UNAUTHENTICATED, why, ERR_AUTH, rpcId);

  const unary =
    <Req, Res>(handle: (req: Req, rpcId: string) => Res) =>
    (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      const rpcId = randomUUID();
      const problem = authProblem(call.metadata);
      if (problem) return callback(unauthenticated(problem, rpcId));
      try {
        callback(null, handle(call.request, rpcId));
      } catch (e) {
        callback(e as GrpcError);
      }
    };

  const unimplemented = (
    call: { emit(e: string, err: unknown): void } | null,
    cb?: grpc.sendUnaryData<unknown>,
  ) => {
    const err = { code: grpc.status.UNIMPLEMENTED, details: 'The simulator does not implement publishing.' };
    if (cb) cb(err);
    else call?.emit('error', err);
  };

  const service = {
    GetSchema: unary<{ schema_id: string }, unknown>((req, rpcId) => {
      const s = Object.values(schemas).find((x) => x.schemaId === req.schema_id);
      if (!s)
        throw rpcError(
          grpc.status.NOT_FOUND,
          `Schema ${req.schema_id} was not found.`,
          'sfdc.platform.eventbus.grpc.schema.notfound',
          rpcId,
        );
      return { schema_json: s.json, schema_id: s.schemaId, rpc_id: rpcId };
    }),

    GetTopic: unary<{ topic_name: string }, unknown>((req, rpcId) => {
      const entities = TOPICS[req.topic_name];
      if (!entities)
        throw rpcError(grpc.status.NOT_FOUND, `Topic ${req.topic_name} was not found.`, ERR_TOPIC, rpcId);
      return {
        topic_name: req.topic_name,
        tenant_guid: ctx.orgId,
        can_publish: false,
        can_subscribe: true,
        // ⚠ A multi-entity channel has no single schema; we answer the first entity's.
        schema_id: schemas[entities[0] as SObjectType].schemaId,
        rpc_id: rpcId,
      };
    }),

    Publish: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => unimplemented(null, cb),
    PublishStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => unimplemented(call),
    ManagedSubscribe: (call: grpc.ServerDuplexStream<unknown, unknown>) => unimplemented(call),

    Subscribe: (call: grpc.ServerDuplexStream<FetchRequest, FetchResponse>) => {
      const rpcId = randomUUID();
      let topic: string | null = null;
      let entities: SObjectType[] = [];
      let cursor = 0n;
      let pending = 0;
      let done = false;
      let lastSentAt = Date.now();
      let headersSent = false;

      const finish = (err: GrpcError | null) => {
        if (done) return;
        done = true;
        cleanup();
        if (err) call.emit('error', err);
        else call.end();
      };
      const stillAuthorized = () => {
        const problem = authProblem(call.metadata);
        if (problem) finish(unauthenticated(problem, rpcId));
        return problem === null;
      };
      const send = (events: BusEvent[], latest: bigint) => {
        lastSentAt = Date.now();
        call.write({
          events: events.map((e) => ({
            event: { id: e.id, schema_id: e.schemaId, payload: e.payload, headers: [] },
            replay_id: encodeReplayId(e.replayId),
          })),
          latest_replay_id: encodeReplayId(latest),
          rpc_id: rpcId,
          pending_num_requested: pending,
        });
      };
      const match = (e: BusEvent) => entities.includes(e.entity);
      const deliver = () => {
        if (done || topic === null) return;
        while (pending > 0) {
          const batch = bus.after(cursor, match, pending);
          if (batch.length === 0) return;
          if (!stillAuthorized()) return;
          pending -= batch.length;
          cursor = (batch[batch.length - 1] as BusEvent).replayId;
          send(batch, cursor);
        }
      };
      const keepAlive = setInterval(
        () => {
          if (done || topic === null || Date.now() - lastSentAt < opts.keepAliveMs) return;
          if (!stillAuthorized()) return;
          // Only a subscriber with nothing left to receive may jump to the tip: a client stores this id.
          const caughtUp = bus.after(cursor, match, 1).length === 0;
          if (caughtUp) cursor = bus.latest();
          send([], cursor);
        },
        Math.max(10, Math.min(Math.floor(opts.keepAliveMs / 4), 1_000)),
      );
      const unsubscribe = bus.onPublish(() => setImmediate(deliver));
      const cleanup = () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(abort);
      };
      const abort = () =>
        finish({ code: grpc.status.UNAVAILABLE, details: 'The simulator is shutting down.' });
      streams.add(abort);

      if (!stillAuthorized()) return;

      call.on('data', (req: FetchRequest) => {
        if (done) return;
        if (!stillAuthorized()) return;
        if (topic === null) {
          const wanted = TOPICS[req.topic_name];
          if (!wanted)
            return finish(
              rpcError(grpc.status.NOT_FOUND, `Topic ${req.topic_name} was not found.`, ERR_TOPIC, rpcId),
            );
          // Replay options count only in the stream's first request.
          if (req.replay_preset === 'CUSTOM') {
            const id = decodeReplayId(req.replay_id);
            if (id === null || !bus.isResumable(id))
              return finish(
                rpcError(
                  grpc.status.INVALID_ARGUMENT,
                  'The Replay ID validation failed. Ensure that the replay_id field value in FetchRequest is valid and refers to an event that is within the retention window.',
                  ERR_REPLAY,
                  rpcId,
                ),
              );
            cursor = id;
          } else if (req.replay_preset === 'EARLIEST') {
            cursor = bus.earliest();
          } else {
            cursor = bus.latest();
          }
          topic = req.topic_name;
          entities = wanted;
        } else if (req.topic_name !== '' && req.topic_name !== topic) {
          return finish(
            rpcError(
              grpc.status.INVALID_ARGUMENT,
              `The topic of a subscription cannot change (${topic} → ${req.topic_name}).`,
              ERR_ARG,
              rpcId,
            ),
          );
        }
        if (req.num_requested < 0)
          return finish(
            rpcError(
              grpc.status.INVALID_ARGUMENT,
              'num_requested must not be negative.',
              'sfdc.platform.eventbus.grpc.fetch.requested.events.invalid',
              rpcId,
            ),
          );
        pending = Math.min(MAX_NUM_REQUESTED, pending + req.num_requested);
        if (!headersSent) {
          // Headers go out once the subscription has its position, so a client knows it is live.
          headersSent = true;
          const md = new grpc.Metadata();
          md.set('rpc-id', rpcId);
          call.sendMetadata(md);
        }
        deliver();
      });
      call.on('end', () => finish(null));
      call.on('cancelled', () => {
        done = true;
        cleanup();
      });
      call.on('error', () => {
        done = true;
        cleanup();
      });
    },
  };

  const server = new grpc.Server();
  server.addService(loadPubSubService(), service as unknown as grpc.UntypedServiceImplementation);
  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ private_key: Buffer.from(opts.cert.keyPem), cert_chain: Buffer.from(opts.cert.certPem) }],
    false,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${opts.port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const abort of [...streams]) abort();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
