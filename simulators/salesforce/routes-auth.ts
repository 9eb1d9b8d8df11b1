// OAuth 2.0 token endpoint (client credentials, JWT bearer), userinfo and revoke. Errors use OAuth's own
// shape `{error, error_description}` with HTTP 400, not the REST error array.
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { SimContext } from './sim-context.ts';
import { OAuthError } from './sf-errors.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
// Salesforce accepts only these as `aud`, even when the token is requested at a My Domain host.
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];
// The shared login hosts, where Salesforce does not serve the client credentials grant (reference §1.3).
const SHARED_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];

export function registerAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/services/oauth2/token', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const grant = body.grant_type;
    let username: string;
    let withSignature = false;
    if (grant === 'client_credentials') {
      username = clientCredentials(ctx, req, body);
      withSignature = true;
    } else if (grant === JWT_GRANT) {
      username = await jwtBearer(ctx, body.assertion);
    } else if (grant === 'refresh_token') {
      // Neither grant Roster uses issues refresh tokens, so none can be valid here.
      throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
    } else {
      throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
    const token = `${ctx.orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    const issuedAt = String(Date.now());
    ctx.sessions.set(token, { username, issuedAt: Date.now() });
    const id = `${ctx.baseUrl()}/id/${ctx.orgId}/${ctx.userId}`;
    const signature = createHmac('sha256', ctx.auth.clientSecret ?? body.client_secret ?? 'secret')
      .update(id + issuedAt)
      .digest('base64');
    return reply.send({
      access_token: token,
      ...(withSignature ? { signature } : {}),
      scope: 'api',
      instance_url: ctx.baseUrl(),
      id,
      token_type: 'Bearer',
      ...(withSignature ? { issued_at: issuedAt } : {}),
    });
  });

  app.get('/services/oauth2/userinfo', async (req, reply) => {
    const session = sessionOf(ctx, req);
    if (!session) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    return reply.send({
      sub: `${ctx.baseUrl()}/id/${ctx.orgId}/${ctx.userId}`,
      user_id: ctx.userId,
      organization_id: ctx.orgId,
      preferred_username: session.username,
      active: true,
    });
  });

  app.post('/services/oauth2/revoke', async (req, reply) => {
    const token = ((req.body ?? {}) as Record<string, string | undefined>).token;
    if (!token || !ctx.sessions.delete(token))
      throw new OAuthError(400, 'unsupported_token_type', 'this token type is not supported');
    return reply.send();
  });
}

export function sessionOf(ctx: SimContext, req: FastifyRequest) {
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ? ctx.sessions.get(m[1].trim()) : undefined;
}

function clientCredentials(
  ctx: SimContext,
  req: FastifyRequest,
  body: Record<string, string | undefined>,
): string {
  // The simulator listens on 127.0.0.1, so it sees such a host only in the Host header (a proxy, an
  // /etc/hosts entry, a test); then it answers as Salesforce does (3P: pozil/pub-sub-api-node-client#58).
  const host = req.hostname.toLowerCase().replace(/\.$/, '');
  if (SHARED_LOGIN_HOSTS.includes(host))
    throw new OAuthError(400, 'invalid_grant', 'request not supported on this domain');
  let id = body.client_id;
  let secret = body.client_secret;
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    id = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!id || (ctx.auth.clientId !== undefined && id !== ctx.auth.clientId)) {
    throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
  }
  if (!secret || (ctx.auth.clientSecret !== undefined && secret !== ctx.auth.clientSecret)) {
    throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
  }
  return 'integration@roster.sim';
}

async function jwtBearer(ctx: SimContext, assertion: string | undefined): Promise<string> {
  if (!assertion) throw new OAuthError(400, 'invalid_request', 'assertion parameter is missing');
  if (!ctx.auth.jwtPublicKey)
    throw new OAuthError(
      400,
      'invalid_grant',
      'invalid assertion (no certificate is configured for this app)',
    );
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(assertion, ctx.auth.jwtPublicKey, {
      algorithms: ['RS256'],
      requiredClaims: ['iss', 'sub', 'aud', 'exp'],
      clockTolerance: 30,
    }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired)
      throw new OAuthError(400, 'invalid_grant', 'expired authorization code');
    throw new OAuthError(400, 'invalid_grant', 'invalid assertion');
  }
  const iss = claims.iss;
  if (typeof iss !== 'string' || !iss || (ctx.auth.clientId !== undefined && iss !== ctx.auth.clientId)) {
    throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && AUDIENCES.includes(a.replace(/\/+$/, '')))) {
    throw new OAuthError(400, 'invalid_grant', 'audience is invalid');
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new OAuthError(400, 'invalid_grant', "user hasn't approved this consumer");
  }
  return sub;
}
