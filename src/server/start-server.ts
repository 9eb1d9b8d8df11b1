// The HTTP shell of `roster serve`: probes, metrics, the admin API and whatever plugins the
// composition root adds (e.g. the Salesforce outbound-message endpoint).
import Fastify, { type FastifyInstance } from 'fastify';
import { adminRoutes } from './admin-routes.ts';
import { approvalRoutes } from './approval-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { sendError, toHttpError } from './http-errors.ts';
import type { ServerDeps } from './server-deps.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** For tests and plugins that need inject(); the server is already listening. */
  app: FastifyInstance;
}

// Admin requests are small JSON documents; a big body is a mistake or an attack.
const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // Fastify's logger is off: its request lines include URLs (query strings may carry secrets) and we
  // log through deps.log in one place below instead.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, trustProxy: false });

  app.addHook('onResponse', async (request, reply) => {
    // The route template (`/admin/journal`), never the raw URL or headers: those may carry secrets.
    deps.log.info('http request', {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    });
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { status, body, internal } = toHttpError(error);
    if (internal) {
      deps.log.warn('request failed', {
        route: request.routeOptions.url ?? 'unmatched',
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendError(reply, 404, 'ROSTER_REQUEST_INVALID', `no route for ${request.method} on this path`),
  );

  await app.register(healthRoutes(deps));
  await app.register(adminRoutes(deps), { prefix: '/admin' });
  await app.register(approvalRoutes(deps), { prefix: '/admin' });
  for (const plugin of deps.plugins ?? []) {
    // Each plugin gets its own encapsulated scope: its parsers and hooks stay its own.
    await app.register(async (scope) => {
      await plugin(scope);
    });
  }
  return app;
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const app = await buildServer(deps);
  await app.listen({ host: deps.host, port: deps.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : deps.port;
  const host = deps.host.includes(':') ? `[${deps.host}]` : deps.host;
  const url = `http://${host}:${port}`;
  deps.log.info('http server listening', { url });
  return {
    url,
    app,
    close: async () => {
      await app.close();
    },
  };
}
