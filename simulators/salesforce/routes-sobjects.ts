// sObject resources for Account and Contact: describe, create, read, update, delete, and the
// replication resources /updated (30 days back) and /deleted (15 days back).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { attributes } from './query-service.ts';
import { requireSObjectType, SOBJECT_TYPES, type FieldType, type SObjectType } from './schema.ts';
import type { SimContext } from './sim-context.ts';
import { DAY_MS, formatDateTime, parseDateTime } from './sf-dates.ts';
import { SfError } from './sf-errors.ts';
import type { SfRecord } from './salesforce-state.ts';
import { KEY_PREFIX } from './salesforce-ids.ts';
import { versionOf } from './routes-query.ts';

const DESCRIBE_TYPE: Record<FieldType, string> = {
  id: 'id',
  reference: 'reference',
  string: 'string',
  email: 'email',
  boolean: 'boolean',
  number: 'double',
  date: 'date',
  datetime: 'datetime',
};

type Params = { v: string; type: string; id: string };
const params = (req: FastifyRequest) => req.params as Params;
const typeOf = (req: FastifyRequest): SObjectType => requireSObjectType(params(req).type);

export function registerSObjectRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/services/data/:v/sobjects', async () => ({
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: SOBJECT_TYPES.map((name) => ({
      name,
      label: name,
      keyPrefix: KEY_PREFIX[name],
      queryable: true,
    })),
  }));

  app.get('/services/data/:v/sobjects/:type/describe', async (req) => {
    const type = typeOf(req);
    return {
      name: type,
      label: type,
      keyPrefix: KEY_PREFIX[type],
      queryable: true,
      fields: ctx.state.schema.fields(type).map((f) => ({
        name: f.name,
        label: f.name.replace(/__c$/, '').replace(/_/g, ' '),
        type: DESCRIBE_TYPE[f.type],
        nillable: !f.required && f.type !== 'boolean' && f.type !== 'id',
        createable: f.writable,
        updateable: f.writable,
        filterable: true,
        sortable: true,
        custom: f.name.endsWith('__c'),
        referenceTo: f.referenceTo ? [f.referenceTo] : [],
        relationshipName: f.relationshipName ?? null,
      })),
    };
  });

  app.get('/services/data/:v/sobjects/:type/updated', async (req) => {
    const type = typeOf(req);
    const { start, end } = window(req);
    if (start < ctx.state.clock.now() - 30 * DAY_MS) {
      throw new SfError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
    }
    const ids = ctx.state
      .all(type)
      .filter((r) => r.deletedAt === null && inWindow(stamp(r), start, end))
      .map((r) => r.id);
    return { ids, latestDateCovered: formatDateTime(Math.min(end, minute(ctx.state.clock.now()))) };
  });

  app.get('/services/data/:v/sobjects/:type/deleted', async (req) => {
    const type = typeOf(req);
    const now = ctx.state.clock.now();
    const { start, end } = window(req);
    // The delete log reaches back 15 days only.
    const earliest = minute(now - 15 * DAY_MS);
    const deletedRecords = ctx.state
      .all(type)
      .filter((r): r is SfRecord & { deletedAt: number } => r.deletedAt !== null)
      .filter((r) => r.deletedAt >= earliest && inWindow(r.deletedAt, start, end))
      .map((r) => ({ id: r.id, deletedDate: formatDateTime(r.deletedAt) }));
    return {
      deletedRecords,
      earliestDateAvailable: formatDateTime(earliest),
      latestDateCovered: formatDateTime(Math.min(end, minute(now))),
    };
  });

  app.post('/services/data/:v/sobjects/:type', async (req, reply) => {
    const rec = ctx.state.create(typeOf(req), bodyObject(req));
    return reply.code(201).send({ id: rec.id, success: true, errors: [] });
  });

  app.get('/services/data/:v/sobjects/:type/:id', async (req) => {
    const type = typeOf(req);
    const rec = ctx.state.live(type, params(req).id);
    const wanted = (req.query as { fields?: string }).fields;
    const names = wanted
      ? wanted.split(',').map((n) => ctx.state.schema.requireField(type, n.trim()).name)
      : ctx.state.schema.fields(type).map((f) => f.name);
    const out: Record<string, unknown> = { attributes: attributes(rec, versionOf(req)) };
    for (const n of names) out[n] = rec.values[n] ?? null;
    return out;
  });

  app.patch('/services/data/:v/sobjects/:type/:id', async (req, reply) => {
    ctx.state.update(typeOf(req), params(req).id, bodyObject(req));
    return reply.code(204).send();
  });

  app.delete('/services/data/:v/sobjects/:type/:id', async (req, reply) => {
    ctx.state.delete(typeOf(req), params(req).id);
    return reply.code(204).send();
  });
}

export function bodyObject(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
  }
  return body as Record<string, unknown>;
}

const stamp = (r: SfRecord) => parseDateTime(String(r.values.SystemModstamp)) ?? 0;
const inWindow = (ms: number, start: number, end: number) => ms >= start && ms <= end;
// Salesforce ignores the seconds of start and end.
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

function window(req: FastifyRequest): { start: number; end: number } {
  const q = req.query as { start?: string; end?: string };
  if (!q.start || !q.end) throw new SfError(400, 'MISSING_ARGUMENT', 'start and end must both be specified');
  const start = parseDateTime(q.start);
  const end = parseDateTime(q.end);
  if (start === null || end === null) {
    throw new SfError(
      400,
      'INVALID_REPLICATION_DATE',
      `start and end must be ISO dateTimes: ${q.start}, ${q.end}`,
    );
  }
  if (end < start) throw new SfError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
  return { start: minute(start), end: minute(end) + 59_999 };
}
