// Alerts as a JSON POST to a webhook (Slack incoming webhooks, or anything that reads `text`).
// Webhook URLs usually carry their secret in the path (hooks.slack.com/services/T…/B…/secret), so the
// URL is never logged: only its origin is.
import { RosterError } from '../../domain/errors.ts';
import type { Alert, Alerter } from '../../ports/alerter.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';

export interface WebhookAlerterOptions {
  url: string;
  clock: Clock;
  log: Logger;
  /** Per attempt; a hung webhook must not hold up the health monitor for long. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  /** Delay before the first retry; doubles each time. */
  backoffMs?: number;
  fetch?: typeof globalThis.fetch;
}

const SECRET_KEY = /authorization|token|secret|password|passwd|apikey|api_key|privatekey|private_key/i;
const MAX_RETRY_AFTER_MS = 30_000;

/** Replaces values under secret-looking keys, at any depth, so a careless `details` cannot leak one. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1),
    ]),
  );
}

/** The Slack-compatible body: `text` is what a person sees; the rest is for machines. */
export function alertPayload(alert: Alert): Record<string, unknown> {
  return {
    text: `[${alert.severity.toUpperCase()}] ${alert.summary}`,
    kind: alert.kind,
    severity: alert.severity,
    summary: alert.summary,
    details: redactSecrets(alert.details),
    at: alert.at,
  };
}

export class WebhookAlerter implements Alerter {
  private readonly url: string;
  private readonly origin: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(opts: WebhookAlerterOptions) {
    let parsed: URL;
    try {
      parsed = new URL(opts.url);
    } catch (e) {
      // The message must not repeat the URL: it may hold the webhook's secret.
      throw new RosterError('ROSTER_CONFIG_INVALID', 'alerts.webhookUrl is not a valid URL', { cause: e });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new RosterError('ROSTER_CONFIG_INVALID', 'alerts.webhookUrl must be an http(s) URL');
    }
    this.url = opts.url;
    this.origin = parsed.origin;
    this.clock = opts.clock;
    this.log = opts.log;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 1_000;
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  async send(alert: Alert): Promise<void> {
    const body = JSON.stringify(alertPayload(alert));
    const fields = { kind: alert.kind, severity: alert.severity, webhook: this.origin };
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const result = await this.attempt(body);
      if (result.ok) return;
      const last = attempt === this.retries || !result.retryable;
      this.log.warn(last ? 'alert not delivered' : 'alert delivery failed; retrying', {
        ...fields,
        attempt: attempt + 1,
        error: result.error,
      });
      if (last) return;
      await this.clock.sleep(result.retryAfterMs ?? this.backoffMs * 2 ** attempt);
    }
  }

  private async attempt(
    body: string,
  ): Promise<{ ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMs?: number }> {
    try {
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Drain the body so the connection is reused; its content does not matter.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true };
      const retryable = response.status === 429 || response.status >= 500;
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        retryable,
        error: `HTTP ${response.status}`,
        ...(Number.isFinite(retryAfter) && retryAfter > 0
          ? { retryAfterMs: Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) }
          : {}),
      };
    } catch (e) {
      const message = e instanceof Error ? describe(e) : String(e);
      return { ok: false, retryable: true, error: message.split(this.url).join(this.origin) };
    }
  }
}

function describe(e: Error): string {
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}

/** When no webhook is configured: problems still show in /readyz, the metrics and the log. */
export const noAlerts: Alerter = { send: async () => undefined };
