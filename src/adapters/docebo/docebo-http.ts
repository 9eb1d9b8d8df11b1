// Every HTTP exchange with Docebo: the OAuth2 token (cached, refreshed once on 401), the call budget
// (every call, the token exchange included, is paid for first), retries with jittered backoff on
// 429/5xx and network failures honouring Retry-After, and classification of failures into the error
// registry. A call that changes Docebo is never sent again once Docebo answered it with a 2xx, even
// when that answer cannot be read: the caller settles it against Docebo's state instead.
import type { z } from 'zod';
import { RosterError } from '../../domain/errors.ts';
import { backoffDelayMs, parseRetryAfter, type BackoffPolicy } from '../../executor/backoff.ts';
import type { CallBudget } from '../../ports/call-budget.ts';
import type { Clock } from '../../ports/clock.ts';
import {
  httpError,
  isRetryableStatus,
  networkError,
  networkFailure,
  Redactor,
  TOKEN_PATH,
  type NetworkFailure,
} from './docebo-errors.ts';
import { tokenSchema } from './docebo-schemas.ts';

export interface DoceboHttpOptions {
  baseUrl: string;
  grant: 'client_credentials' | 'password';
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
  budget: CallBudget;
  clock: Clock;
  maxRetries?: number;
  random?: () => number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
}

export interface DoceboCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

/** An HTTP answer (its body null when it could not be read to the end), or no answer at all. */
type RawResponse =
  | { status: number; body: string | null; retryAfter: string | null; network?: undefined }
  | { status: 0; body: null; retryAfter: null; network: NetworkFailure };

export interface RequestOptions {
  /**
   * False for a call that changes Docebo (the batch import): once Docebo answered it with a 2xx it is
   * never sent again, and an answer that cannot be read throws UnreadableAnswerError. Default true.
   */
  repeatable?: boolean;
}

/** Docebo answered a call that changes it with a 2xx, but what it said cannot be read: it may have acted. */
export class UnreadableAnswerError extends RosterError {
  constructor(
    message: string,
    readonly status: number,
    cause: unknown,
  ) {
    super('ROSTER_DOCEBO_BAD_RESPONSE', message, { cause });
    this.name = 'UnreadableAnswerError';
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

// Refresh a little before Docebo's expiry so a token never dies between two calls of a batch run.
const TOKEN_MARGIN_MS = 60_000;

export const callName = (call: { method: string; path: string }) => `${call.method} ${call.path}`;

export class DoceboHttp {
  private readonly opts: DoceboHttpOptions;
  private readonly redactor: Redactor;
  private readonly maxRetries: number;
  private readonly random: () => number;
  private token: { value: string; expiresAtMs: number } | null = null;

  constructor(opts: DoceboHttpOptions) {
    this.opts = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, '') };
    this.redactor = new Redactor([opts.clientSecret, opts.password]);
    this.maxRetries = opts.maxRetries ?? 5;
    this.random = opts.random ?? Math.random;
  }

  /** Makes sure a token can be had; throws ROSTER_DOCEBO_AUTH otherwise. */
  async ensureToken(): Promise<void> {
    if (!this.validToken()) await this.fetchToken(false);
  }

  /** Sends one call (with retries) and parses the JSON answer with `schema`. */
  async request<S extends z.ZodType>(
    call: DoceboCall,
    schema: S,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    const name = callName(call);
    const repeatable = options.repeatable ?? true;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const res = await this.sendPaid(call);
      if (res.network) {
        if (attempt < this.maxRetries) {
          await this.wait(attempt, null);
          continue;
        }
        throw networkError(name, this.opts.baseUrl, res.network, attempt + 1, this.redactor);
      }
      if (res.status === 401 && !refreshed) {
        // Docebo tokens live an hour and may be revoked: get a new one once, then give up.
        refreshed = true;
        this.token = null;
        attempt--;
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        const parsed = this.parse(name, res.body, schema);
        if (parsed.ok) return parsed.value;
        if (!repeatable)
          throw new UnreadableAnswerError(
            `${parsed.error.message}; Docebo answered HTTP ${res.status}, so the call is not sent again`,
            res.status,
            parsed.error,
          );
        if (attempt >= this.maxRetries) throw parsed.error;
        await this.wait(attempt, null);
        continue;
      }
      if (isRetryableStatus(res.status) && attempt < this.maxRetries) {
        await this.wait(attempt, res.retryAfter);
        continue;
      }
      throw httpError(name, call.path, res.status, res.body ?? '', this.redactor, attempt + 1);
    }
  }

  /**
   * Pays for the call first, then makes sure the token is still good: waiting for the budget can take
   * longer than a token lives. A token exchange needed at that point spends the slot just acquired.
   */
  private async sendPaid(call: DoceboCall): Promise<RawResponse> {
    await this.opts.budget.acquire();
    while (!this.validToken()) {
      await this.fetchToken(true);
      await this.opts.budget.acquire();
    }
    return this.send(call, this.token?.value ?? null);
  }

  private validToken(): boolean {
    return this.token !== null && this.opts.clock.now().getTime() < this.token.expiresAtMs;
  }

  private parse<S extends z.ZodType>(
    name: string,
    body: string | null,
    schema: S,
  ): { ok: true; value: z.output<S> } | { ok: false; error: RosterError } {
    if (body === null)
      return {
        ok: false,
        error: new RosterError('ROSTER_DOCEBO_BAD_RESPONSE', `${name}: Docebo's answer broke off`),
      };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (cause) {
      const error = new RosterError(
        'ROSTER_DOCEBO_BAD_RESPONSE',
        `${name}: Docebo answered with unreadable JSON`,
        {
          cause,
        },
      );
      return { ok: false, error };
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unexpected shape';
    const error = new RosterError(
      'ROSTER_DOCEBO_BAD_RESPONSE',
      this.redactor.clean(`${name}: Docebo answered with an unexpected shape (${where})`),
      { cause: parsed.error },
    );
    return { ok: false, error };
  }

  private async wait(attempt: number, retryAfterHeader: string | null): Promise<void> {
    const retryAfterSeconds = parseRetryAfter(retryAfterHeader, this.opts.clock.now());
    const delay = backoffDelayMs(attempt, {
      retryAfterSeconds,
      random: this.random,
      ...(this.opts.backoff ? { policy: this.opts.backoff } : {}),
    });
    await this.opts.clock.sleep(delay);
  }

  /** One HTTP exchange, already paid for; no answer at all comes back as a network failure. */
  private async send(call: DoceboCall, token: string | null): Promise<RawResponse> {
    const url = new URL(this.opts.baseUrl + call.path);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (call.body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = call.body.toString();
    } else if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const timeoutMs = this.opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    let res: Response;
    try {
      res = await fetch(url, { method: call.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      return { status: 0, body: null, retryAfter: null, network: networkFailure(cause, timeoutMs) };
    }
    // Once the status line is in, Docebo has answered: a body that breaks off is an unreadable answer,
    // not a network failure to retry (for a batch that would mean sending it twice).
    const text = await res.text().catch(() => null);
    return { status: res.status, body: text, retryAfter: res.headers.get('retry-after') };
  }

  /** `slotHeld`: the caller already paid for the first attempt. */
  private async fetchToken(slotHeld: boolean): Promise<string> {
    const o = this.opts;
    const form = new URLSearchParams({
      grant_type: o.grant,
      client_id: o.clientId,
      client_secret: o.clientSecret,
      scope: 'api',
    });
    if (o.grant === 'password') {
      form.set('username', o.username ?? '');
      form.set('password', o.password ?? '');
    }
    const call: DoceboCall = { method: 'POST', path: TOKEN_PATH, body: form };
    const name = callName(call);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 || !slotHeld) await this.opts.budget.acquire();
      const res = await this.send(call, null);
      if (res.network) {
        if (attempt < this.maxRetries) {
          await this.wait(attempt, null);
          continue;
        }
        throw networkError(name, o.baseUrl, res.network, attempt + 1, this.redactor);
      }
      if (res.status >= 200 && res.status < 300) {
        const parsed = this.parse(name, res.body, tokenSchema);
        if (!parsed.ok) {
          throw new RosterError('ROSTER_DOCEBO_AUTH', `${name}: Docebo did not return an access token`, {
            cause: parsed.error,
          });
        }
        const ttlMs = (parsed.value.expires_in ?? 3600) * 1000;
        this.redactor.add(parsed.value.access_token);
        this.token = {
          value: parsed.value.access_token,
          expiresAtMs: this.opts.clock.now().getTime() + Math.max(ttlMs - TOKEN_MARGIN_MS, ttlMs / 2),
        };
        return parsed.value.access_token;
      }
      if (isRetryableStatus(res.status) && attempt < this.maxRetries) {
        await this.wait(attempt, res.retryAfter);
        continue;
      }
      throw httpError(name, TOKEN_PATH, res.status, res.body ?? '', this.redactor, attempt + 1);
    }
  }
}
