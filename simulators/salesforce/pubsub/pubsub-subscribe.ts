// Subscribe: a pull-based stream. Events flow only against num_requested (at most 100 outstanding),
// from the position the first request asks for; an idle stream gets an empty keep-alive response. The
// session is checked again before every message.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { SObjectType } from '../schema.ts';
import type { SimContext } from '../sim-context.ts';
import { decodeReplayId, encodeReplayId, type BusEvent, type EventBus } from './event-bus.ts';
import { authProblem, unauthenticated } from './pubsub-call-auth.ts';
import { ERR_ARG, ERR_REPLAY, ERR_TOPIC, rpcError, type GrpcError } from './pubsub-rpc-errors.ts';
import { TOPICS } from './pubsub-topics.ts';

export const MAX_NUM_REQUESTED = 100;

export interface FetchRequest {
  topic_name: string;
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id: Buffer;
  num_requested: number;
  auth_refresh: string;
}

export interface FetchResponse {
  events: { event: { id: string; schema_id: string; payload: Buffer; headers: [] }; replay_id: Buffer }[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface SubscribeOptions {
  ctx: SimContext;
  bus: EventBus;
  keepAliveMs: number;
  /** Each open stream's abort, so that closing the server ends them. */
  streams: Set<() => void>;
}

export function subscribeHandler(
  opts: SubscribeOptions,
): (call: grpc.ServerDuplexStream<FetchRequest, FetchResponse>) => void {
  const { ctx, bus, streams } = opts;
  return (call) => {
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
      const problem = authProblem(ctx, call.metadata);
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
    const abort = () => finish({ code: grpc.status.UNAVAILABLE, details: 'The simulator is shutting down.' });
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
  };
}
