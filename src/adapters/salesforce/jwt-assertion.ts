// The JWT bearer assertion Salesforce exchanges for a session: RS256, iss = client id, sub = username,
// aud = login/test URL (never the My Domain), exp a few minutes ahead.
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT } from 'jose';
import type { SalesforceAuth } from '../../config/config-schema.ts';
import { RosterError } from '../../domain/errors.ts';

type JwtAuth = Extract<SalesforceAuth, { flow: 'jwt' }>;

const LIFETIME_SECONDS = 180;

export async function buildJwtAssertion(auth: JwtAuth, now: Date = new Date()): Promise<string> {
  const pem = auth.privateKey ?? (await readKeyFile(auth.privateKeyFile));
  let key;
  try {
    // createPrivateKey reads PKCS#8 and PKCS#1 ("BEGIN RSA PRIVATE KEY") alike.
    key = createPrivateKey(pem);
  } catch (e) {
    throw new RosterError(
      'ROSTER_SALESFORCE_AUTH',
      `Salesforce login (JWT bearer) failed: salesforce.auth.privateKeyFile is not a readable PEM private key.`,
      { cause: e },
    );
  }
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(auth.clientId)
    .setSubject(auth.username)
    .setAudience(auth.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .sign(key);
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new RosterError(
      'ROSTER_SALESFORCE_AUTH',
      `Salesforce login (JWT bearer) failed: cannot read salesforce.auth.privateKeyFile ${path}.`,
      { cause: e },
    );
  }
}
