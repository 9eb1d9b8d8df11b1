// One simulator instance: a Fastify server on 127.0.0.1 with the Salesforce OAuth, REST query and
// sObject resources, Salesforce's error envelopes, API usage accounting, and the admin surface.
import { createPublicKey } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { registerAdminRoutes } from './admin-routes.ts';
import { FaultQueue } from './faults.ts';
import { startPubSub, type PubSubOptions } from './pubsub/index.ts';
import { registerOutbound } from './outbound/outbound-routes.ts';
import type { OutboundRetryOptions } from './outbound/outbound-sender.ts';
import { QueryService } from './query-service.ts';
import { registerAuthRoutes, sessionOf } from './routes-auth.ts';
import { registerQueryRoutes } from './routes-query.ts';
import { registerSObjectRoutes } from './routes-sobjects.ts';
import { IdGenerator, KEY_PREFIX } from './salesforce-ids.ts';
import { SalesforceState, SimClock, type SalesforceSeed } from './salesforce-state.ts';
import { Schema, type SchemaDecl } from './schema.ts';
import { MAX_VERSION, MIN_VERSION, type CallRecord, type SimContext } from './sim-context.ts';
import { OAuthError, SfError } from './sf-errors.ts';

export interface SalesforceSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, only this client id (and secret) is accepted; otherwise any non-empty pair is. */
  clientId?: string;
  clientSecret?: string;
  /** PEM public key or certificate that verifies JWT bearer assertions. */
  jwtPublicKeyPem?: string;
  /** Custom fields; the demo schema when omitted. */
  schema?: SchemaDecl;
  now?: () => Date;
  seed?: SalesforceSeed;
  /** false logs one line per request to stderr. Default true. */
  quiet?: boolean;
  /** Daily API allocation reported in Sforce-Limit-Info. Default 100,000. */
  apiLimit?: number;
  /** Change Data Capture over a gRPC Pub/Sub endpoint (TLS, self-signed certificate). */
  pubsub?: PubSubOptions;
  /** Retry timing of the outbound-message sender (configured through /__admin/outbound). */
  outbound?: OutboundRetryOptions;
}

export interface RunningSalesforceSimulator {
  url: string;
  close(): Promise<void>;
  calls(): CallRecord[];
  /** The Pub/Sub endpoint and the certificate to trust, when enabled. */
  pubsub: { address: string; certPem: string } | null;
}

const API_PATH = /^\/services\/data\/v(\d+)\.(\d+)(?:\/|$)/;

export async function startSalesforceSimulator(
  opts: SalesforceSimulatorOptions = {},
): Promise<RunningSalesforceSimulator> {
  const state = new SalesforceState(new Schema(opts.schema), new SimClock(opts.now));
  const ids = new IdGenerator();
  let baseUrl = '';
  const ctx: SimContext = {
    state,
    queries: new QueryService(state),
    faults: new FaultQueue(),
    calls: [],
    sessions: new Map(),
    apiUsage: { used: 0, max: opts.apiLimit ?? 100_000 },
    auth: {
      ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
      ...(opts.clientSecret !== undefined ? { clientSecret: opts.clientSecret } : {}),
      ...(opts.jwtPublicKeyPem ? { jwtPublicKey: createPublicKey(opts.jwtPublicKeyPem) } : {}),
    },
    orgId: ids.next(KEY_PREFIX.Organization),
    userId: ids.next(KEY_PREFIX.User),
    baseUrl: () => baseUrl,
  };
  if (opts.seed) state.seed(opts.seed);

  // A large body limit only so that /__admin/seed takes benchmark-sized worlds in one call.
  const app = Fastify({
    logger: false,
    bodyLimit: 50 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  await app.register(formbody);
  // Tolerate an empty JSON body (DELETE with a content type) and answer bad JSON the Salesforce way.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(
        new SfError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body: not valid JSON'),
        undefined,
      );
    }
  });

  const isAdmin = (req: FastifyRequest) => req.url.startsWith('/__admin');
  const pathOf = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url;

  app.addHook('onRequest', async (req, reply) => {
    if (isAdmin(req)) return;
    const path = pathOf(req);
    const fault = ctx.faults.take(path);
    if (fault)
      return sendSf(
        reply,
        new SfError(fault.status, fault.body[0]?.errorCode ?? '', fault.body[0]?.message ?? ''),
      );
    const api = API_PATH.exec(path);
    if (!api) return;
    const [major, minor] = [Number(api[1]), Number(api[2])];
    if (major < MIN_VERSION)
      return sendSf(
        reply,
        new SfError(410, 'UNSUPPORTED_API_VERSION', `API version ${major}.${minor} is retired`),
      );
    if (major > MAX_VERSION || minor !== 0)
      return sendSf(reply, new SfError(404, 'NOT_FOUND', 'The requested resource does not exist'));
    if (!sessionOf(ctx, req))
      return sendSf(reply, new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
    ctx.apiUsage.used += 1;
    if (ctx.apiUsage.used > ctx.apiUsage.max) {
      return sendSf(reply, new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (API_PATH.test(pathOf(req))) {
      reply.header('Sforce-Limit-Info', `api-usage=${ctx.apiUsage.used}/${ctx.apiUsage.max}`);
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (isAdmin(req)) return;
    const record = { method: req.method, path: pathOf(req), status: reply.statusCode };
    ctx.calls.push(record);
    if (opts.quiet === false) process.stderr.write(`${record.method} ${record.path} → ${record.status}\n`);
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof OAuthError)
      return reply.code(err.status).send({ error: err.error, error_description: err.description });
    if (err instanceof SfError) return sendSf(reply, err);
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const message = err instanceof Error ? err.message : String(err);
    return sendSf(
      reply,
      new SfError(status, status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_REQUEST', message),
    );
  });
  app.setNotFoundHandler((_req, reply) =>
    sendSf(reply, new SfError(404, 'NOT_FOUND', 'The requested resource does not exist')),
  );

  registerAuthRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerSObjectRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerOutbound(app, ctx, opts.outbound);

  const pubsub = opts.pubsub?.enabled ? await startPubSub(ctx, opts.pubsub) : null;
  pubsub?.registerAdminRoutes(app);

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 }).catch(async (e: unknown) => {
    await pubsub?.close();
    throw e;
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    close: async () => {
      await pubsub?.close();
      await app.close();
    },
    calls: () => ctx.calls.map((c) => ({ ...c })),
    pubsub: pubsub ? { address: pubsub.address, certPem: pubsub.certPem } : null,
  };
}

function sendSf(reply: FastifyReply, err: SfError) {
  return reply.code(err.status).type('application/json;charset=UTF-8').send(err.body());
}
