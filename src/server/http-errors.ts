// One error body for every route: `{ error: { code, message, action } }`, codes from the registry.
import type { FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { ERROR_CODES, httpStatusOf, isRosterError, type ErrorCode } from '../domain/errors.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; action: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message, action: ERROR_CODES[code].action } };
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply.code(status).send(errorBody(code, message));
}

/** Names each offending field, e.g. `limit: Too big: expected number to be <=1000`. */
export function describeZodError(error: ZodError, where: string): string {
  return error.issues
    .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}

/**
 * Maps anything thrown in a route to a status and a body. Unknown errors become a generic 500: their
 * message may carry internals (a SQL statement, a URL), so it goes to the log, not to the client.
 */
export function toHttpError(e: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (isRosterError(e)) {
    return { status: httpStatusOf(e.code), body: errorBody(e.code, e.message), internal: false };
  }
  // Fastify's own request errors (bad JSON, wrong content type, body too large) carry a 4xx status.
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = e instanceof Error ? e.message : 'invalid request';
    return { status, body: errorBody('ROSTER_REQUEST_INVALID', message), internal: false };
  }
  return {
    status: 500,
    body: errorBody('ROSTER_INTERNAL', 'internal error; see the service log'),
    internal: true,
  };
}
