// The admin surface (no auth, not counted as API calls): inspect calls, seed data, change records as an
// admin would in the UI, move the clock, script faults.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireSObjectType } from './schema.ts';
import type { SimContext } from './sim-context.ts';
import { SfError } from './sf-errors.ts';
import type { SalesforceSeed } from './salesforce-state.ts';
import type { FaultSpec } from './faults.ts';
import { bodyObject } from './routes-sobjects.ts';

export function registerAdminRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/__admin/calls', async () => ctx.calls);
  app.delete('/__admin/calls', async (_req, reply) => {
    ctx.calls.length = 0;
    return reply.code(204).send();
  });

  app.post('/__admin/seed', async (req) => ({ ids: ctx.state.seed(bodyObject(req) as SalesforceSeed) }));

  app.patch('/__admin/sobjects/:type/:id', async (req) => {
    const { type, id } = req.params as { type: string; id: string };
    const rec = ctx.state.update(requireSObjectType(type), id, bodyObject(req));
    return { id: rec.id, ...rec.values };
  });

  app.get('/__admin/records/:type', async (req) => {
    const type = requireSObjectType((req.params as { type: string }).type);
    return ctx.state.all(type).map((r) => ({ ...r.values, Id: r.id }));
  });

  app.post('/__admin/clock', async (req) => {
    const body = bodyObject(req) as { now?: unknown; advanceDays?: unknown };
    if (typeof body.now === 'string') ctx.state.clock.set(body.now);
    else if (typeof body.advanceDays === 'number') ctx.state.clock.advanceDays(body.advanceDays);
    else throw new SfError(400, 'INVALID_REQUEST', 'clock: send {now: ISO} or {advanceDays: n}');
    return { now: new Date(ctx.state.clock.now()).toISOString() };
  });

  app.post('/__admin/faults', async (req) => {
    const body = bodyObject(req) as { respond?: FaultSpec[] };
    try {
      ctx.faults.add(body.respond ?? []);
    } catch (e) {
      throw new SfError(400, 'INVALID_REQUEST', e instanceof Error ? e.message : String(e));
    }
    return { ok: true };
  });
  app.delete('/__admin/faults', async (_req, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  /** Ends every session, so the next API call answers 401 INVALID_SESSION_ID (token expiry). */
  app.post('/__admin/expire-sessions', async () => {
    const n = ctx.sessions.size;
    ctx.sessions.clear();
    return { expired: n };
  });

  /** Sets the daily API allocation and usage shown in Sforce-Limit-Info and /limits. */
  app.post('/__admin/api-usage', async (req: FastifyRequest) => {
    const body = bodyObject(req) as { used?: unknown; max?: unknown };
    if (typeof body.used === 'number') ctx.apiUsage.used = body.used;
    if (typeof body.max === 'number') ctx.apiUsage.max = body.max;
    return ctx.apiUsage;
  });
}
