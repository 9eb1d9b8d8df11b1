// Every Pub/Sub call must carry the metadata accesstoken, instanceurl and tenantid of a live REST
// session; a stream checks again before each message, so one whose session ends fails UNAUTHENTICATED.
import * as grpc from '@grpc/grpc-js';
import type { SimContext } from '../sim-context.ts';
import { ERR_AUTH, rpcError } from './pubsub-rpc-errors.ts';

/** Why the call's metadata does not name a live session, or null when it does. */
export function authProblem(ctx: SimContext, md: grpc.Metadata): string | null {
  const one = (k: string) => {
    const v = md.get(k)[0];
    return typeof v === 'string' ? v : undefined;
  };
  const token = one('accesstoken');
  if (!token || !ctx.sessions.has(token)) return 'The access token is missing, invalid or expired.';
  const instance = (one('instanceurl') ?? '').replace(/\/+$/, '');
  if (instance !== ctx.baseUrl()) return 'The instance URL does not match the access token.';
  const tenant = one('tenantid') ?? '';
  if (tenant !== ctx.orgId && tenant !== ctx.orgId.slice(0, 15))
    return 'The tenant ID does not match the access token.';
  return null;
}

export const unauthenticated = (why: string, rpcId: string) =>
  rpcError(grpc.status.UNAUTHENTICATED, why, ERR_AUTH, rpcId);
