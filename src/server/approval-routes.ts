// POST /admin/approve and /admin/reject: decide held changes per plan or per company. Behind the same
// bearer token as the rest of the admin API; the decision is recorded with who and when, and approved
// companies are queued so the service applies them within seconds.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RosterError } from '../domain/errors.ts';
import type { Decision } from '../domain/held-change.ts';
import { bearerMatches } from './admin-auth.ts';
import { describeZodError, sendError } from './http-errors.ts';
import type { ServerDeps } from './server-deps.ts';

const text = z.string().trim().min(1).max(200);
const decisionBody = z
  .strictObject({ planId: text.optional(), accountId: text.optional(), by: text })
  .refine((b) => (b.planId === undefined) !== (b.accountId === undefined), {
    error: 'give exactly one of planId or accountId',
  });

export function approvalRoutes(deps: ServerDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!bearerMatches(request.headers.authorization, deps.adminToken)) {
        reply.header('www-authenticate', 'Bearer realm="roster-admin"');
        return sendError(reply, 401, 'ROSTER_UNAUTHORIZED', 'missing or wrong admin bearer token');
      }
    });

    const route = (path: string, decision: Decision) =>
      app.post(path, async (request) => {
        const parsed = decisionBody.safeParse(request.body);
        if (!parsed.success)
          throw new RosterError('ROSTER_REQUEST_INVALID', describeZodError(parsed.error, 'body'));
        const { planId, accountId, by } = parsed.data;
        const scope = planId !== undefined ? { planId } : { accountId: accountId as string };
        const { decided, queued, at } = await deps.records.decide(scope, { decision, by });
        deps.log.info(`held changes ${decision} through the admin API`, {
          ...scope,
          by,
          count: decided.length,
        });
        return { decision, count: decided.length, queued, by, at, changes: decided };
      });
    route('/approve', 'approved');
    route('/reject', 'rejected');
  };
}
