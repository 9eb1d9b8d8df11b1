// Test helper: a plain grpc-js client of the simulator's Pub/Sub endpoint that records what a Subscribe
// stream receives, so tests can wait for responses and errors.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import avro from 'avsc';
import { bigintLongs } from './avro-long.ts';
import { PROTO_PATH } from './pubsub-server.ts';

export interface FetchResponseMsg {
  events: { event: { id: string; schema_id: string; payload: Buffer }; replay_id: Buffer }[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface FetchRequestMsg {
  topic_name?: string;
  replay_preset?: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id?: Buffer;
  num_requested?: number;
}

type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => void;

interface PubSubStub extends grpc.Client {
  GetSchema: Unary<{ schema_id: string }, { schema_json: string; schema_id: string }>;
  GetTopic: Unary<
    { topic_name: string },
    { topic_name: string; tenant_guid: string; schema_id: string; can_subscribe: boolean }
  >;
  Publish: Unary<{ topic_name: string }, unknown>;
  Subscribe(md: grpc.Metadata): grpc.ClientDuplexStream<FetchRequestMsg, FetchResponseMsg>;
}

const def = protoLoader.loadSync(PROTO_PATH, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const PubSub = (
  grpc.loadPackageDefinition(def) as unknown as {
    eventbus: { v1: { PubSub: new (address: string, creds: grpc.ChannelCredentials) => PubSubStub } };
  }
).eventbus.v1.PubSub;

export interface Auth {
  accessToken: string;
  instanceUrl: string;
  orgId: string;
}

export function metadataOf(auth: Partial<Auth>): grpc.Metadata {
  const md = new grpc.Metadata();
  if (auth.accessToken) md.set('accesstoken', auth.accessToken);
  if (auth.instanceUrl) md.set('instanceurl', auth.instanceUrl);
  if (auth.orgId) md.set('tenantid', auth.orgId);
  return md;
}

export class TestPubSubClient {
  readonly stub: PubSubStub;
  private readonly types = new Map<string, avro.Type>();

  constructor(address: string, certPem: string) {
    this.stub = new PubSub(address, grpc.credentials.createSsl(Buffer.from(certPem)));
  }

  unary<Req, Res>(method: 'GetSchema' | 'GetTopic' | 'Publish', req: Req, md: grpc.Metadata): Promise<Res> {
    const fn = this.stub[method] as unknown as Unary<Req, Res>;
    return new Promise((resolve, reject) =>
      fn.call(this.stub, req, md, (err, res) => (err ? reject(err) : resolve(res as Res))),
    );
  }

  /** The event's record, every long a BigInt (commitNumber exceeds 2^53). */
  async decode(auth: Auth, event: { schema_id: string; payload: Buffer }): Promise<Record<string, unknown>> {
    let type = this.types.get(event.schema_id);
    if (!type) {
      const info = await this.unary<{ schema_id: string }, { schema_json: string }>(
        'GetSchema',
        { schema_id: event.schema_id },
        metadataOf(auth),
      );
      type = avro.Type.forSchema(JSON.parse(info.schema_json), { typeHook: bigintLongs });
      this.types.set(event.schema_id, type);
    }
    return type.fromBuffer(event.payload) as Record<string, unknown>;
  }

  subscribe(auth: Partial<Auth>, first: FetchRequestMsg): Subscription {
    return new Subscription(this.stub.Subscribe(metadataOf(auth)), first);
  }

  close(): void {
    this.stub.close();
  }
}

export class Subscription {
  readonly responses: FetchResponseMsg[] = [];
  error: grpc.ServiceError | null = null;
  ended = false;
  readonly ready: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(
    readonly call: grpc.ClientDuplexStream<FetchRequestMsg, FetchResponseMsg>,
    first: FetchRequestMsg,
  ) {
    this.ready = new Promise((resolve) => {
      call.on('metadata', () => resolve());
      call.on('error', () => resolve());
    });
    call.on('data', (r: FetchResponseMsg) => {
      this.responses.push(r);
      this.wake();
    });
    call.on('error', (e: grpc.ServiceError) => {
      this.error = e;
      this.wake();
    });
    call.on('end', () => {
      this.ended = true;
      this.wake();
    });
    call.write(first);
  }

  get events() {
    return this.responses.flatMap((r) => r.events);
  }

  request(n: number): void {
    this.call.write({ num_requested: n });
  }

  /** Resolves when `cond` holds, rejects after `ms`. */
  async until(cond: () => boolean, ms = 3_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting on the subscription');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  cancel(): void {
    this.call.cancel();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Names from Salesforce bitmap fields: bit i of `0x…` is top-level field i; `p-0x…` are parts of field p. */
export function bitmapNames(schemaJson: string, bitmaps: string[]): string[] {
  type F = { name: string; type: unknown };
  const fields = (JSON.parse(schemaJson) as { fields: F[] }).fields;
  const bits = (hex: string) => {
    const n = BigInt(hex);
    const out: number[] = [];
    for (let i = 0; n >> BigInt(i) > 0n; i++) if ((n >> BigInt(i)) & 1n) out.push(i);
    return out;
  };
  const names: string[] = [];
  for (const b of bitmaps) {
    const m = /^(\d+)-(0x[0-9A-Fa-f]+)$/.exec(b);
    if (!m) {
      for (const i of bits(b)) names.push(fields[i]?.name ?? `?${i}`);
      continue;
    }
    const parent = fields[Number(m[1])];
    const union = (parent?.type ?? []) as ({ fields?: F[] } | string)[];
    const record = union.find((t): t is { fields: F[] } => typeof t === 'object');
    for (const i of bits(m[2] as string)) names.push(`${parent?.name}.${record?.fields[i]?.name ?? `?${i}`}`);
  }
  return names;
}
