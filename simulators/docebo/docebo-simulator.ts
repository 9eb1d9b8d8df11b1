// Starts the Docebo simulator on loopback: a stateful, protocol-faithful stand-in for a Docebo platform.
import Fastify, { type FastifyError } from 'fastify';
import { adminRoutes } from './admin-routes.ts';
import { errorBody } from './docebo-payloads.ts';
import { DoceboState } from './docebo-state.ts';
import { LeakyBucket } from './rate-limit.ts';
import { installRequestGate } from './request-gate.ts';
import { authRoutes } from './routes-auth.ts';
import { batchRoutes } from './routes-batch.ts';
import { bulkRoutes } from './routes-bulk.ts';
import { userRoutes } from './routes-users.ts';
import { SimClock } from './sim-clock.ts';
import { defaultQuirks, type DoceboSimulatorOptions, type RunningDoceboSimulator } from './sim-types.ts';

export async function startDoceboSimulator(
  opts: DoceboSimulatorOptions = {},
): Promise<RunningDoceboSimulator> {
  const clock = new SimClock(opts.now);
  const state = new DoceboState(clock, { ...defaultQuirks, ...opts.quirks }, opts.tokenTtlSeconds ?? 3600);
  if (opts.seedUsers) state.seed(opts.seedUsers);
  const bucket = new LeakyBucket(opts.callsPerHour ?? 1000);

  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  installRequestGate(app, state, bucket, opts.onCall);
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    void reply.code(status).send(errorBody(status, [err.message]));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody(404, [`Page not found: ${req.method} ${req.url.split('?')[0]}`]));
  });

  await app.register(authRoutes, {
    state,
    credentials: {
      ...(opts.clientId ? { clientId: opts.clientId } : {}),
      ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
    },
  });
  await app.register(userRoutes, { state });
  await app.register(bulkRoutes, { state });
  await app.register(batchRoutes, { state });
  await app.register(adminRoutes, { state });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => app.close(),
    calls: () => state.calls.map((c) => ({ ...c })),
  };
}
