// Store failures mapped onto the error registry, without ever echoing a database password.
import { RosterError } from '../../domain/errors.ts';

/** A store URL fit for messages and logs: the PostgreSQL password replaced by `***`. */
export function redactStoreUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Unparseable: keep only the scheme rather than risk printing a password.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*$/i, '$1…');
  }
}

/** The secrets a message must not contain: the URL's password, raw and percent-decoded. */
export function storeSecrets(url: string, extra: (string | undefined)[] = []): string[] {
  const found = [...extra];
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url);
  if (m?.[1]) {
    found.push(m[1]);
    try {
      found.push(decodeURIComponent(m[1]));
    } catch {
      // Not valid percent-encoding: the raw form is already listed.
    }
  }
  return found.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export function scrub(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('***'), text);
}

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Errors that say the database cannot be reached or used right now, as opposed to a bug in a query. */
export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    // PostgreSQL SQLSTATE classes: 08 connection, 53 resources, 57P0x shutdown, 28 auth, 3D000 no database.
    if (/^(08|53|28)/.test(code) || /^57P0/.test(code) || code === '3D000') return true;
    if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/.test(code)) return true;
  }
  return /connection (terminated|is not open)|timeout exceeded when trying to connect/i.test(e.message);
}

/** Wraps a failure of store operation `op`: RosterErrors pass through, the rest keep their cause. */
export function storeError(e: unknown, op: string, label: string, secrets: string[]): RosterError {
  if (e instanceof RosterError) return e;
  const detail = scrub(e instanceof Error ? e.message : String(e), secrets);
  const leaked = e instanceof Error && detail !== e.message;
  const cause = leaked ? new Error(detail) : e;
  if (isUnavailable(e))
    return new RosterError('ROSTER_STORE_UNAVAILABLE', `Store ${label}: ${op} failed: ${detail}`, { cause });
  return new RosterError('ROSTER_INTERNAL', `Store ${label}: ${op} failed: ${detail}`, { cause });
}

/**
 * The one place store failures are mapped: every method of `impl` that returns a promise rejects with a
 * RosterError naming `role.method`, never with a driver error that may carry a password.
 */
export function withStoreErrors<T extends object>(
  role: string,
  impl: T,
  label: string,
  secrets: string[],
): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const op = role === 'store' ? String(prop) : `${role}.${String(prop)}`;
      return (...args: unknown[]) => {
        try {
          const out: unknown = value.apply(target, args);
          return out instanceof Promise
            ? out.catch((e: unknown) => Promise.reject(storeError(e, op, label, secrets)))
            : out;
        } catch (e) {
          throw storeError(e, op, label, secrets);
        }
      };
    },
  });
}
