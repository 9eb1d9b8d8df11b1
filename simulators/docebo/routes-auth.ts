// POST /oauth2/token. Docebo's sample posts multipart fields; real clients also send form-urlencoded and
// JSON, so all three are read. Error bodies follow RFC 6749 (`error`, `error_description`): Docebo's own
// token error shape is not documented.
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DoceboState } from './docebo-state.ts';

export interface Credentials {
  clientId?: string;
  clientSecret?: string;
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

export async function authRoutes(
  app: FastifyInstance,
  opts: { state: DoceboState; credentials: Credentials },
) {
  const { state, credentials } = opts;
  await app.register(formbody);
  await app.register(multipart, { attachFieldsToBody: 'keyValues' });

  app.post('/oauth2/token', async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const grant = str(body.grant_type);
    const clientId = str(body.client_id);
    const clientSecret = str(body.client_secret);
    if (!grant)
      return oauthError(reply, 400, 'invalid_request', 'The grant type was not specified in the request');
    if (!clientId || !clientSecret) {
      return oauthError(
        reply,
        400,
        'invalid_client',
        'Client credentials were not found in the headers or body',
      );
    }
    const known =
      (credentials.clientId === undefined || credentials.clientId === clientId) &&
      (credentials.clientSecret === undefined || credentials.clientSecret === clientSecret);
    if (!known) return oauthError(reply, 400, 'invalid_client', 'The client credentials are invalid');

    const scope = str(body.scope) || 'api';
    const granted = (withRefresh: boolean) => {
      const t = state.issueToken(withRefresh);
      return {
        access_token: t.accessToken,
        expires_in: state.tokenTtlSeconds,
        token_type: 'Bearer',
        scope,
        ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      };
    };

    if (grant === 'client_credentials') return granted(false);
    if (grant === 'password') {
      if (!str(body.username) || !str(body.password)) {
        return oauthError(
          reply,
          400,
          'invalid_request',
          'Missing parameters: "username" and "password" required',
        );
      }
      return granted(true);
    }
    if (grant === 'refresh_token') {
      if (!state.useRefreshToken(str(body.refresh_token))) {
        return oauthError(reply, 400, 'invalid_grant', 'Invalid refresh token');
      }
      return granted(true);
    }
    return oauthError(reply, 400, 'unsupported_grant_type', `Grant type "${grant}" not supported`);
  });
}
