// The JSON admin API under /admin. Every route here sits behind the bearer-token hook: a request without
// the right token is answered 401 in onRequest, before its body is read or any handler runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RosterError } from '../domain/errors.ts';
import { contactId, doceboUserId, toSalesforceId18 } from '../domain/ids.ts';
import { bearerMatches } from './admin-auth.ts';
import { describeZodError, sendError } from './http-errors.ts';
import type { ServerDeps } from './server-deps.ts';

const limit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

// Strict: an unknown parameter is more likely a typo (`?run=`) than something to ignore silently.
const queueQuery = z.strictObject({
  status: z.enum(['queued', 'running', 'dead']).optional(),
  limit: limit(100, 1000),
});
const runsQuery = z.strictObject({ limit: limit(20, 500) });
const journalQuery = z.strictObject({
  runId: z.string().trim().min(1).max(200).optional(),
  userId: z.string().trim().min(1).max(100).optional(),
  contactId: z
    .string()
    .trim()
    .transform((raw, ctx) => {
      // The journal holds 18-character ids; accept the 15-character form people copy from URLs.
      const id = toSalesforceId18(raw);
      if (id === null) ctx.addIssue({ code: 'custom', message: 'not a Salesforce id (15 or 18 characters)' });
      return id ?? raw;
    })
    .optional(),
  limit: limit(100, 1000),
});
const retryBody = z
  .strictObject({ ids: z.array(z.number().int().positive()).min(1).max(10_000).optional() })
  .optional();

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RosterError('ROSTER_REQUEST_INVALID', describeZodError(result.error, where));
  }
  return result.data;
}

export function adminRoutes(deps: ServerDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request: FastifyRequest, reply) => {
      reply.header('cache-control', 'no-store');
      if (!bearerMatches(request.headers.authorization, deps.adminToken)) {
        reply.header('www-authenticate', 'Bearer realm="roster-admin"');
        return sendError(reply, 401, 'ROSTER_UNAUTHORIZED', 'missing or wrong admin bearer token');
      }
    });

    app.get('/status', async () => deps.status());

    app.get('/queue', async (request) => {
      const query = parse(queueQuery, request.query, 'query');
      return deps.records.queue(query);
    });

    app.post('/queue/retry', async (request) => {
      const body = parse(retryBody, request.body, 'body');
      const revived = await deps.records.retryDead(body?.ids);
      deps.log.info('dead letters revived through the admin API', {
        revived,
        ids: body?.ids?.length ?? 'all',
      });
      return { revived };
    });

    app.get('/runs', async (request) => {
      const query = parse(runsQuery, request.query, 'query');
      return { runs: await deps.records.listRuns(query.limit) };
    });

    app.get('/journal', async (request) => {
      const query = parse(journalQuery, request.query, 'query');
      const entries = await deps.records.listJournal({
        limit: query.limit,
        ...(query.runId !== undefined ? { runId: query.runId } : {}),
        ...(query.userId !== undefined ? { userId: doceboUserId(query.userId) } : {}),
        ...(query.contactId !== undefined ? { contactId: contactId(query.contactId) } : {}),
      });
      return { entries };
    });

    app.post('/reconcile', async (_request, reply) => {
      const result = await deps.reconcileNow();
      deps.log.info('reconciliation requested through the admin API', { accepted: result.accepted });
      return reply.code(202).send({ accepted: result.accepted, message: result.message });
    });
  };
}
