// Wires the outbound-message sender into one simulator: the admin routes that configure it, a hook that
// queues a notification for every successful write (REST create/update/delete, admin PATCH), and a stop
// on close. Watching responses rather than the state keeps the sender out of the state's code.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sobjectType, type SObjectType } from '../schema.ts';
import type { SimContext } from '../sim-context.ts';
import { SfError } from '../sf-errors.ts';
import { OutboundSender, type OutboundRetryOptions } from './outbound-sender.ts';

const ObjectName = z.enum(['Account', 'Contact']);
const RetrySchema = z
  .object({
    baseDelayMs: z.number().int().positive().optional(),
    maxDelayMs: z.number().int().positive().optional(),
    maxAgeMs: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();
const ConfigSchema = z
  .object({
    url: z.string(),
    objects: z.array(ObjectName).min(1),
    fields: z
      .object({ Account: z.array(z.string()), Contact: z.array(z.string()) })
      .partial()
      .strict()
      .optional(),
    organizationId: z
      .string()
      .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/)
      .optional(),
    retry: RetrySchema.optional(),
  })
  .strict();
const FaultsSchema = z
  .object({
    duplicate: z.boolean().optional(),
    reorder: z.boolean().optional(),
    delayMs: z.number().int().min(0).optional(),
  })
  .strict();

// Routes whose successful answer means a record was written: [method, route pattern].
const WRITES: [string, string][] = [
  ['POST', '/services/data/:v/sobjects/:type'],
  ['PATCH', '/services/data/:v/sobjects/:type/:id'],
  ['DELETE', '/services/data/:v/sobjects/:type/:id'],
  ['PATCH', '/__admin/sobjects/:type/:id'],
];

export function registerOutbound(
  app: FastifyInstance,
  ctx: SimContext,
  retry: OutboundRetryOptions = {},
): OutboundSender {
  const sender = new OutboundSender(ctx.state, () => ctx.baseUrl(), retry);

  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    const write = writtenRecord(req, payload);
    if (write) sender.notify(write.type, write.id);
    return payload;
  });
  app.addHook('onClose', async () => sender.stop());

  app.get('/__admin/outbound', async () => ({ organizationId: ctx.orgId, ...sender.stats() }));

  app.post('/__admin/outbound', async (req) => {
    const body = parse(ConfigSchema, req.body);
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw new SfError(400, 'INVALID_REQUEST', 'outbound: url is not a URL');
    }
    // The simulator only ever calls back into this machine.
    if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
      throw new SfError(400, 'INVALID_REQUEST', 'outbound: url must start with http://127.0.0.1');
    }
    const fields: Partial<Record<SObjectType, string[]>> = {};
    for (const [type, names] of Object.entries(body.fields ?? {}) as [SObjectType, string[]][]) {
      fields[type] = names.map((n) => ctx.state.schema.requireField(type, n).name);
    }
    sender.configure(
      { url: body.url, objects: body.objects, fields, organizationId: body.organizationId ?? ctx.orgId },
      body.retry ?? {},
    );
    return { organizationId: ctx.orgId, ...sender.stats() };
  });

  app.delete('/__admin/outbound', async (_req, reply) => {
    sender.disable();
    return reply.code(204).send();
  });

  app.post('/__admin/outbound/faults', async (req) => {
    sender.setFaults(parse(FaultsSchema, req.body ?? {}));
    return { ok: true };
  });
  app.delete('/__admin/outbound/faults', async (_req, reply) => {
    sender.clearFaults();
    return reply.code(204).send();
  });

  return sender;
}

function writtenRecord(req: FastifyRequest, payload: unknown): { type: SObjectType; id: string } | null {
  const route = req.routeOptions.url;
  if (!WRITES.some(([m, r]) => m === req.method && r === route)) return null;
  const params = req.params as { type?: string; id?: string };
  const type = sobjectType(params.type ?? '');
  if (!type) return null;
  if (params.id !== undefined) return { type, id: params.id };
  // A create names the new id only in its answer.
  try {
    const id = (JSON.parse(String(payload)) as { id?: unknown }).id;
    return typeof id === 'string' ? { type, id } : null;
  } catch {
    return null;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new SfError(
    400,
    'INVALID_REQUEST',
    `outbound: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
  );
}
