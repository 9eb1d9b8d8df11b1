// Probes and metrics, unauthenticated. /healthz answers while the process serves (liveness: restart
// me if this fails); /readyz reflects ServiceStatus (store, feeds, recent Salesforce and Docebo contact)
// and says whether this instance is the active one or a standby.
// /metrics is open as Prometheus scrapers expect; it carries counts and timings, no ids or secrets.
// Behind a shared network, bind to 127.0.0.1 (the default) or put a proxy in front; a token option
// for /metrics can be added to ServerDeps when someone needs it.
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from './server-deps.ts';

export function healthRoutes(deps: ServerDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/healthz', async () => ({ ok: true }));

    app.get('/readyz', async (_request, reply) => {
      let ready: boolean;
      let problems: string[];
      let role: string | undefined;
      let writer: string | null = null;
      try {
        ({ ready, problems, role, writer } = await deps.status());
      } catch (e) {
        // A status that cannot be computed is itself a reason not to take traffic.
        deps.log.warn('status unavailable for /readyz', {
          error: e instanceof Error ? e.message : String(e),
        });
        ready = false;
        problems = ['status unavailable'];
      }
      // A healthy standby is ready too (to take over); `role` says which instance is doing the work.
      return reply.code(ready ? 200 : 503).send({ ready, role, writer, problems });
    });

    app.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await deps.metrics();
      return reply.type(contentType).send(body);
    });
  };
}
