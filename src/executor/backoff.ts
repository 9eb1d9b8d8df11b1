// Retry waits: exponential backoff with full jitter (AWS style), or what the server asked for in
// `Retry-After`. Pure: the random source and "now" are passed in; the caller does the sleeping.

export interface BackoffPolicy {
  /** Wait ceiling of the first retry, before jitter. */
  baseMs: number;
  /** Ceiling of any jittered wait. */
  maxMs: number;
  /** Ceiling of a server-requested wait (a Retry-After of hours is not honoured blindly). */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, maxRetryAfterMs: 15 * 60_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry). A `Retry-After` wins over the jittered
 * exponential delay, capped at `maxRetryAfterMs`.
 */
export function backoffDelayMs(
  attempt: number,
  opts: { retryAfterSeconds?: number | null; random: () => number; policy?: BackoffPolicy },
): number {
  const policy = opts.policy ?? defaultBackoff;
  if (
    opts.retryAfterSeconds !== undefined &&
    opts.retryAfterSeconds !== null &&
    opts.retryAfterSeconds >= 0
  ) {
    return Math.min(Math.ceil(opts.retryAfterSeconds * 1000), policy.maxRetryAfterMs);
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  const r = Math.min(Math.max(opts.random(), 0), 1);
  return Math.floor(r * ceiling);
}

/** `Retry-After` is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | null {
  if (header === null || header === undefined) return null;
  const trimmed = header.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - now.getTime()) / 1000);
}
