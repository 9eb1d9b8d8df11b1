// A small client for the simulators' `/__admin` surface, shared by the demo, the end-to-end tests and
// the benchmark. It never talks to anything but a simulator on loopback.
import type { DoceboQuirks } from './docebo/sim-types.ts';
import type { ScenarioAccount, ScenarioContact, ScenarioUser } from './scenarios/acme-scenario.ts';

export interface CallRecord {
  method: string;
  path: string;
  status: number;
}

export interface DoceboAdminUser {
  user_id: string;
  username: string;
  email: string | null;
  active: boolean;
  expiration_date: string | null;
  expired: boolean;
  /** The user must set a new password at the next login (Docebo's `force_change`). */
  must_change_password: boolean;
  fields: Record<string, string | null>;
}

export interface DoceboFaults {
  respond?: { status: number; times: number; retryAfterSeconds?: number; path?: string }[];
  failEveryNthRow?: number;
  failUsernames?: string[];
  latencyMs?: number;
  /** The call is carried out, then its 2xx answer arrives cut off (or as an HTML page). */
  unreadable?: { times: number; path?: string; how?: 'truncated' | 'html' }[];
  /** Listing pages after the first repeat this many users of the page before. */
  pageOverlap?: number;
}

async function admin<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(path, baseUrl);
  if (url.hostname !== '127.0.0.1')
    throw new Error(`simulator admin calls stay on loopback, not ${url.host}`);
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on the simulator answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Writes are what Roster must keep to a minimum: every non-GET API call except the token exchange. */
export function isWriteCall(call: CallRecord): boolean {
  return call.method !== 'GET' && !call.path.includes('/oauth2/token');
}

export const salesforceAdmin = (url: string) => ({
  seed: (seed: { accounts: ScenarioAccount[]; contacts: ScenarioContact[] }) =>
    admin<{ ids: Record<string, string> }>(url, 'POST', '/__admin/seed', seed),
  update: (type: 'Account' | 'Contact', id: string, fields: Record<string, unknown>) =>
    admin<unknown>(url, 'PATCH', `/__admin/sobjects/${type}/${id}`, fields),
  calls: () => admin<CallRecord[]>(url, 'GET', '/__admin/calls'),
  clearCalls: () => admin<unknown>(url, 'DELETE', '/__admin/calls'),
  setClock: (body: { now: string } | { advanceDays: number }) =>
    admin<unknown>(url, 'POST', '/__admin/clock', body),
});

export const doceboAdmin = (url: string) => ({
  seed: (users: ScenarioUser[]) =>
    admin<{ ids: Record<string, string> }>(url, 'POST', '/__admin/seed', { users }),
  users: () => admin<DoceboAdminUser[]>(url, 'GET', '/__admin/users'),
  calls: () => admin<CallRecord[]>(url, 'GET', '/__admin/calls'),
  clearCalls: () => admin<unknown>(url, 'DELETE', '/__admin/calls'),
  setClock: (body: { now: string } | { advanceDays: number }) =>
    admin<unknown>(url, 'POST', '/__admin/clock', body),
  setFaults: (faults: DoceboFaults) => admin<unknown>(url, 'POST', '/__admin/faults', faults),
  clearFaults: () => admin<unknown>(url, 'DELETE', '/__admin/faults'),
  /** Flips the simulator's switches for behaviour the reference leaves open (DoceboQuirks). */
  setQuirks: (quirks: Partial<DoceboQuirks>) => admin<DoceboQuirks>(url, 'POST', '/__admin/quirks', quirks),
});

export type SalesforceAdmin = ReturnType<typeof salesforceAdmin>;
export type DoceboAdmin = ReturnType<typeof doceboAdmin>;

/**
 * Writes through the simulator's real REST API (OAuth token, then PATCH), as a Salesforce user or
 * integration would: such writes bump SystemModstamp and feed CDC and outbound messages.
 */
export const salesforceApi = (url: string, apiVersion = '66.0') => {
  let token: string | null = null;
  const login = async () => {
    const res = await fetch(new URL('/services/oauth2/token', url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'e2e', client_secret: 'e2e' }),
    });
    if (!res.ok) throw new Error(`token request answered ${res.status}`);
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  };
  return {
    update: async (type: 'Account' | 'Contact', id: string, fields: Record<string, unknown>) => {
      const res = await fetch(new URL(`/services/data/v${apiVersion}/sobjects/${type}/${id}`, url), {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token ?? (await login())}`, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      if (res.status !== 204)
        throw new Error(`PATCH ${type}/${id} answered ${res.status}: ${await res.text()}`);
    },
  };
};
