// One Subscribe stream of the Pub/Sub API, consumed strictly in order: each response is handled (and its
// work stored) before the next, however fast they arrive, and the stream's end is reported once,
// after the response in hand is done. Plus the small pieces the CDC feed needs around it.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { Clock, Timer } from '../../ports/clock.ts';
import { GrpcStatus, isServiceError, type FetchRequestMsg, type FetchResponseMsg } from './pubsub-client.ts';

export type Outcome = { kind: 'stopped' } | { kind: 'ended' } | { kind: 'error'; error: unknown };

export function consumeStream(
  call: ClientDuplexStream<FetchRequestMsg, FetchResponseMsg>,
  opts: { handle(r: FetchResponseMsg): Promise<void>; stopping(): boolean },
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const queue: FetchResponseMsg[] = [];
    let processing = false;
    let ended: Outcome | null = null;
    let resolved = false;
    const settle = () => {
      if (resolved || processing || !ended) return;
      resolved = true;
      resolve(ended);
    };
    const end = (o: Outcome) => {
      ended ??= opts.stopping() ? { kind: 'stopped' } : o;
      settle();
    };
    const pump = async () => {
      if (processing) return;
      processing = true;
      try {
        while (queue.length > 0 && !opts.stopping() && !ended) {
          await opts.handle(queue.shift() as FetchResponseMsg);
        }
      } catch (e) {
        ended ??= { kind: 'error', error: e };
        call.cancel();
      }
      processing = false;
      settle();
    };
    call.on('data', (r: FetchResponseMsg) => {
      queue.push(r);
      void pump();
    });
    call.on('error', (e: unknown) => end({ kind: 'error', error: e }));
    call.on('end', () => end({ kind: 'ended' }));
    call.on('status', () => end({ kind: 'ended' }));
  });
}

const REPLAY_ERROR = /replayid|replay id/i;

export function checkpointOf(replayId: Buffer): { feed: 'cdc'; state: { replayId: string } } {
  return { feed: 'cdc', state: { replayId: Buffer.from(replayId).toString('base64') } };
}

/** The stored replay id is older than the retention (or unknown): only a full resync can cover the gap. */
export function isReplayIdRejected(e: unknown): boolean {
  if (!isServiceError(e) || e.code !== GrpcStatus.INVALID_ARGUMENT) return false;
  const code = e.metadata?.get('error-code').map(String) ?? [];
  return code.some((c) => REPLAY_ERROR.test(c)) || /replay/i.test(e.details ?? e.message);
}

/** An error's message without anything that looks like a session id (`00D…!…`). */
export function safeMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/00D[A-Za-z0-9]{12,15}![\w.-]+/g, '[session]').slice(0, 500);
}

/** Waits for `promise`, but at most `ms` on the clock. */
export async function within(promise: Promise<void>, clock: Clock, ms: number): Promise<void> {
  let timer: Timer | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = clock.setTimer(ms, resolve)))]);
  timer?.cancel();
}

export function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}
