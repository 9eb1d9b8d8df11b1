// Opens a jsforce Connection with either OAuth flow. jsforce's default session refresh needs a refresh
// token, which neither grant issues, so refreshFn simply runs the grant again (reference §7.2).
import jsforce, { type Connection } from 'jsforce';
import type { SalesforceAuth } from '../../config/config-schema.ts';
import { buildJwtAssertion } from './jwt-assertion.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ConnectionOptions {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
}

export async function openConnection(opts: ConnectionOptions): Promise<Connection> {
  const { auth } = opts;
  const loginUrl = opts.loginUrl.replace(/\/+$/, '');
  const grant = async (conn: Connection) => {
    if (auth.flow === 'client_credentials') await conn.authorize({ grant_type: 'client_credentials' });
    else await conn.authorize({ grant_type: JWT_GRANT, assertion: await buildJwtAssertion(auth) });
  };
  const conn: Connection = new jsforce.Connection({
    loginUrl,
    version: opts.apiVersion,
    oauth2:
      auth.flow === 'client_credentials'
        ? { clientId: auth.clientId, clientSecret: auth.clientSecret, loginUrl }
        : { clientId: auth.clientId, loginUrl },
    refreshFn: (c, callback) => {
      grant(c).then(
        () => callback(null, c.accessToken ?? undefined),
        (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
      );
    },
  });
  await grant(conn);
  return conn;
}
