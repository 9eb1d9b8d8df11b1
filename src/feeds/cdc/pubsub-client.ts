// The Pub/Sub API stub over TLS, from the proto kept next to this file. Every call carries the session
// as the metadata Salesforce expects: accesstoken, instanceurl, tenantid (reference §3.4).
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url));

export interface ProducerEventMsg {
  id: string;
  schema_id: string;
  payload: Buffer;
}
export interface FetchResponseMsg {
  events: { event: ProducerEventMsg | null; replay_id: Buffer }[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}
export interface FetchRequestMsg {
  topic_name?: string;
  replay_preset?: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id?: Buffer;
  num_requested: number;
}

export interface PubSubSession {
  accessToken: string;
  instanceUrl: string;
  orgId: string;
}

type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

interface PubSubStub extends grpc.Client {
  GetSchema: Unary<{ schema_id: string }, { schema_json: string; schema_id: string }>;
  Subscribe(md: grpc.Metadata): grpc.ClientDuplexStream<FetchRequestMsg, FetchResponseMsg>;
}
type PubSubConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => PubSubStub;

let constructorCache: PubSubConstructor | null = null;
function pubSubConstructor(): PubSubConstructor {
  if (!constructorCache) {
    const def = protoLoader.loadSync(PROTO_PATH, {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      eventbus: { v1: { PubSub: PubSubConstructor } };
    };
    constructorCache = pkg.eventbus.v1.PubSub;
  }
  return constructorCache;
}

const isIpAddress = (address: string): boolean =>
  isIP(address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')) !== 0;

export class PubSubClient {
  private readonly stub: PubSubStub;

  constructor(address: string, caPem?: string) {
    const Stub = pubSubConstructor();
    this.stub = new Stub(address, grpc.credentials.createSsl(caPem ? Buffer.from(caPem) : null), {
      // A batch of up to 100 events of up to 1 MB each would not fit gRPC's 4 MB default.
      'grpc.max_receive_message_length': 128 * 1024 * 1024,
      // TLS names a server by host name, never by IP (RFC 6066); a loopback endpoint's certificate also
      // names `localhost`, so verify against that instead of sending an IP as the server name.
      ...(isIpAddress(address) ? { 'grpc.ssl_target_name_override': 'localhost' } : {}),
    });
  }

  getSchema(session: PubSubSession, schemaId: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.stub.GetSchema({ schema_id: schemaId }, metadataOf(session), (err, res) =>
        err || !res ? reject(err ?? new Error('GetSchema answered nothing')) : resolve(res.schema_json),
      );
    });
  }

  subscribe(session: PubSubSession): grpc.ClientDuplexStream<FetchRequestMsg, FetchResponseMsg> {
    return this.stub.Subscribe(metadataOf(session));
  }

  close(): void {
    this.stub.close();
  }
}

function metadataOf(session: PubSubSession): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('accesstoken', session.accessToken);
  md.set('instanceurl', session.instanceUrl);
  md.set('tenantid', session.orgId);
  return md;
}

export function isServiceError(e: unknown): e is grpc.ServiceError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number' && 'metadata' in e;
}

export const GrpcStatus = grpc.status;
