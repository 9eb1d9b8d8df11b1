// Docebo answers → the error registry. Messages name the call (e.g. `POST /manage/v1/user/batch`) and
// carry Docebo's own words, after removing anything that could be a secret.
import { RosterError, type ErrorCode } from '../../domain/errors.ts';
import { errorEnvelopeSchema } from './docebo-schemas.ts';

export const TOKEN_PATH = '/oauth2/token';

/** Statuses worth another try after a wait: rate limit, overload, gateway trouble, a busy batch slot. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 409 || status >= 500;
}

export function codeForStatus(status: number, path: string): ErrorCode {
  if (path === TOKEN_PATH && status >= 400 && status < 500 && status !== 429) return 'ROSTER_DOCEBO_AUTH';
  if (status === 401) return 'ROSTER_DOCEBO_AUTH';
  if (status === 403) return 'ROSTER_DOCEBO_FORBIDDEN';
  if (status === 429) return 'ROSTER_DOCEBO_RATE_LIMITED';
  // 409: another batch call holds the platform's single batch slot; waiting helps.
  if (status === 409 || status >= 500) return 'ROSTER_DOCEBO_UNAVAILABLE';
  if (status >= 400) return 'ROSTER_DOCEBO_REJECTED';
  return 'ROSTER_DOCEBO_BAD_RESPONSE';
}

/** Docebo's words from an error body: `{name, message[], code, status}` or OAuth's `{error, error_description}`. */
export function describeErrorBody(body: string): string {
  try {
    const parsed = errorEnvelopeSchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      const e = parsed.data;
      const words = [e.error, e.error_description, e.name, e.message].filter(
        (w) => w && String(w).trim() !== '',
      );
      const code = e.code !== undefined && e.code !== 0 && e.code !== '0' ? ` (Docebo code ${e.code})` : '';
      if (words.length > 0) return `${[...new Set(words)].join(': ')}${code}`;
    }
  } catch {
    // Not JSON: fall through to a short excerpt.
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: (string | undefined)[]) {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 3);
  }

  add(secret: string | undefined): void {
    if (secret && secret.length >= 3 && !this.secrets.includes(secret)) this.secrets.push(secret);
  }

  clean(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    // Bearer tokens and secrets in echoed form bodies.
    return out
      .replace(/(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, '$1***')
      .replace(
        /((?:client_secret|password|access_token|refresh_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi,
        '$1***',
      );
  }
}

export function httpError(
  call: string,
  path: string,
  status: number,
  body: string,
  redactor: Redactor,
  attempts: number,
): RosterError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const detail = describeErrorBody(body);
  return new RosterError(
    codeForStatus(status, path),
    redactor.clean(`${call}: Docebo answered HTTP ${status}${tries}${detail ? ` — ${detail}` : ''}`),
  );
}

/** Why no HTTP answer came back: a connection that never opened, or one that opened and then failed. */
export interface NetworkFailure {
  /** Nothing reached Docebo (refused, unknown host, unreachable network, TLS): check docebo.baseUrl. */
  connect: boolean;
  reason: string;
}

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
};

/** fetch() rejects with `TypeError: fetch failed` and the socket's error as `cause`. */
export function networkFailure(e: unknown, timeoutMs: number): NetworkFailure {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return { connect: false, reason: `no answer within ${Math.round(timeoutMs / 1000)} s` };
  const cause =
    e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && CONNECT_FAILURES[code]) return { connect: true, reason: `${CONNECT_FAILURES[code]} (${code})` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
    return { connect: false, reason: `connection reset (${code})` };
  const message =
    typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e);
  // "bad port", an invalid URL: nothing was sent.
  return { connect: code === undefined, reason: code ? `${message} (${code})` : message };
}

export function networkError(
  call: string,
  baseUrl: string,
  failure: NetworkFailure,
  attempts: number,
  redactor: Redactor,
): RosterError {
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (failure.connect)
    return new RosterError(
      'ROSTER_DOCEBO_UNREACHABLE',
      redactor.clean(
        `${call}: could not connect to Docebo at ${baseUrl} (docebo.baseUrl): ${failure.reason}${tries}. ` +
          'Check docebo.baseUrl in roster.yaml and that this host can reach the platform.',
      ),
    );
  return new RosterError(
    'ROSTER_DOCEBO_UNAVAILABLE',
    redactor.clean(`${call}: Docebo at ${baseUrl} did not answer: ${failure.reason}${tries}`),
  );
}
