// The Pub/Sub API over gRPC with TLS: Subscribe (pubsub-subscribe.ts), GetSchema and GetTopic; publishing
// is not implemented. Every call is checked against a live REST session (pubsub-call-auth.ts), and
// errors carry Salesforce's `error-code` trailer (pubsub-rpc-errors.ts).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SObjectType } from '../schema.ts';
import type { SimContext } from '../sim-context.ts';
import type { EntitySchema } from './change-event-schema.ts';
import type { EventBus } from './event-bus.ts';
import { authProblem, unauthenticated } from './pubsub-call-auth.ts';
import { ERR_TOPIC, rpcError, type GrpcError } from './pubsub-rpc-errors.ts';
import { subscribeHandler } from './pubsub-subscribe.ts';
import { TOPICS } from './pubsub-topics.ts';

export const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url));

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

  const unary =
    <Req, Res>(handle: (req: Req, rpcId: string) => Res) =>
    (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      const rpcId = randomUUID();
      const problem = authProblem(ctx, call.metadata);
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

    Subscribe: subscribeHandler({ ctx, bus, keepAliveMs: opts.keepAliveMs, streams }),
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
