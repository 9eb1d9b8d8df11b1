// A copy of the configuration that is safe to print (`roster doctor --json`, logs): secrets become
// `****`, and a password inside a database URL is masked too.
import type { RosterConfig } from './config-schema.ts';

export const MASK = '****';

const SECRET_KEYS = new Set(['clientsecret', 'password', 'privatekey', 'admintoken', 'secret', 'webhookurl']);

function maskUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = MASK;
    return url.toString();
  } catch {
    return value;
  }
}

function redact(value: unknown, key: string): unknown {
  if (SECRET_KEYS.has(key.toLowerCase())) return value === null || value === undefined ? value : MASK;
  if (Array.isArray(value)) return value.map((v) => redact(v, ''));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)
    ? maskUrlPassword(value)
    : value;
}

export function redactConfig(config: RosterConfig): RosterConfig {
  return redact(config, '') as RosterConfig;
}
