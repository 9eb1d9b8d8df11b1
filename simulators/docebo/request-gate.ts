// What happens to every API call before its route runs, in Docebo's order as far as it shows from outside:
// the call is logged, scripted faults fire, the rate limit is applied, the token is checked, and batch
// calls take the platform's single batch slot (Docebo forbids concurrent batch calls). A scripted
// unreadable answer is made on the way out: the call itself was carried out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DoceboState } from './docebo-state.ts';
import { sendError } from './docebo-payloads.ts';
import type { LeakyBucket } from './rate-limit.ts';
import type { CallRecord } from './sim-types.ts';

const isAdmin = (path: string) => path.startsWith('/__admin');
const isBatch = (method: string, path: string) => method === 'POST' && /\/batch\/?$/.test(path);
const pathOf = (url: string) => url.split('?')[0] ?? url;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

declare module 'fastify' {
  interface FastifyRequest {
    docebo?: { record: CallRecord; holdsBatchSlot: boolean };
  }
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? (m[1] ?? null) : null;
}

export function installRequestGate(
  app: FastifyInstance,
  state: DoceboState,
  bucket: LeakyBucket,
  onCall: (call: CallRecord) => void = () => {},
): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(req.url);
    if (isAdmin(path)) return;
    const record: CallRecord = { method: req.method, path, status: 0 };
    state.calls.push(record);
    req.docebo = { record, holdsBatchSlot: false };
    onCall(record);

    const fault = state.faults.respond.find((f) => f.times > 0 && (!f.path || path.startsWith(f.path)));
    if (fault) {
      fault.times -= 1;
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      const message =
        fault.status === 429
          ? 'Too many requests, please slow down'
          : 'The service is temporarily unavailable';
      return sendError(reply, fault.status, [message]);
    }

    const taken = bucket.take(state.clock.nowMs());
    if (!taken.ok) {
      if (state.quirks.retryAfterOn429) reply.header('Retry-After', String(taken.retryAfterSeconds));
      return sendError(reply, 429, ['API rate limit exceeded']);
    }

    if (path !== '/oauth2/token') {
      const status = state.tokenStatus(bearer(req));
      if (status !== 'valid') {
        const message =
          status === 'missing'
            ? 'Authorization header with a Bearer token is required'
            : status === 'expired'
              ? 'The access token provided has expired'
              : 'The access token provided is invalid';
        reply.header('WWW-Authenticate', 'Bearer realm="Service", error="invalid_token"');
        return sendError(reply, 401, [message], 401);
      }
    }

    if (isBatch(req.method, path)) {
      if (state.batchInFlight) {
        return sendError(reply, state.quirks.concurrentBatchStatus, [
          'Another batch operation is in progress: batch APIs do not accept concurrent calls',
        ]);
      }
      state.batchInFlight = true;
      req.docebo.holdsBatchSlot = true;
    }

    if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.docebo) {
      req.docebo.record.status = reply.statusCode;
      if (req.docebo.holdsBatchSlot) {
        state.batchInFlight = false;
        req.docebo.holdsBatchSlot = false;
      }
    }
    reply.header('X-Docebo-Api-Version', '1.0.0');
    if (req.docebo && reply.statusCode >= 200 && reply.statusCode < 300) {
      const path = req.docebo.record.path;
      const garble = state.faults.unreadable.find((f) => f.times > 0 && (!f.path || path.startsWith(f.path)));
      if (garble) {
        garble.times -= 1;
        if (garble.how === 'html') {
          reply.header('content-type', 'text/html; charset=UTF-8');
          return '<html><head><title>Loading…</title></head><body>Please wait</body></html>';
        }
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? '');
        return text.slice(0, Math.floor(text.length / 2));
      }
    }
    return payload;
  });

  // A client that hangs up mid-call must not keep the batch slot forever.
  const releaseSlot = async (req: FastifyRequest) => {
    if (req.docebo?.holdsBatchSlot) {
      state.batchInFlight = false;
      req.docebo.holdsBatchSlot = false;
    }
  };
  app.addHook('onResponse', releaseSlot);
  app.addHook('onRequestAbort', releaseSlot);
}
