// Classifies whatever jsforce or the network threw into the error registry, naming the call and what to
// do. Secrets (client secret, access tokens, private keys) never reach a message.
import { RosterError, type ErrorCode } from '../../domain/errors.ts';

const QUERY_CODES = new Set([
  'INVALID_FIELD',
  'MALFORMED_QUERY',
  'INVALID_TYPE',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
  'QUERY_TIMEOUT',
]);
const AUTH_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'INSUFFICIENT_ACCESS',
  'API_DISABLED_FOR_ORG',
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'invalid_request',
  'unsupported_grant_type',
  'unauthorized_client',
  'ERROR_HTTP_401',
]);
const LIMIT_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'ERROR_HTTP_420', 'ERROR_HTTP_429']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

export function errorCodeOf(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { errorCode?: unknown; code?: unknown; name?: unknown };
    if (typeof o.errorCode === 'string') return o.errorCode;
    if (typeof o.code === 'string' && NETWORK_CODES.has(o.code)) return o.code;
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
  }
  return 'UNKNOWN';
}

export function rosterCodeFor(sfCode: string): ErrorCode {
  if (e(sfCode, QUERY_CODES)) return 'ROSTER_SALESFORCE_QUERY';
  if (e(sfCode, AUTH_CODES)) return 'ROSTER_SALESFORCE_AUTH';
  if (e(sfCode, LIMIT_CODES)) return 'ROSTER_SALESFORCE_LIMIT';
  return 'ROSTER_SALESFORCE_UNAVAILABLE';
}
const e = (code: string, set: Set<string>) => set.has(code);

const HINTS: Partial<Record<ErrorCode, string>> = {
  ROSTER_SALESFORCE_QUERY: 'check the field names and conditions in scope, match and rules of roster.yaml',
  ROSTER_SALESFORCE_AUTH: 'check salesforce.auth and that the app is approved for the integration user',
  ROSTER_SALESFORCE_LIMIT: "the org's API requests are used up; wait or raise the limit",
  ROSTER_SALESFORCE_UNAVAILABLE: 'check salesforce.loginUrl and the network, then retry',
};

/** Removes access tokens and the given secrets from text. */
export function redact(text: string, secrets: (string | null | undefined)[]): string {
  let out = text.replace(/00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._-]+/g, '***');
  out = out.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '***');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

export function classifySalesforceError(
  err: unknown,
  call: string,
  secrets: (string | null | undefined)[],
): RosterError {
  if (err instanceof RosterError) return err;
  const sfCode = errorCodeOf(err);
  const code = rosterCodeFor(sfCode);
  const raw = err instanceof Error ? err.message : String(err);
  const detail = redact(raw.replace(/\s+/g, ' ').trim(), secrets);
  const message = `Salesforce ${call} failed: ${sfCode}${detail ? `: ${detail}` : ''} (${HINTS[code] ?? ''})`;
  // The cause may hold request details; keep only a redacted copy so no token leaks through it.
  const cause = new Error(redact(`${sfCode}: ${raw}`, secrets));
  return new RosterError(code, message, { cause });
}
