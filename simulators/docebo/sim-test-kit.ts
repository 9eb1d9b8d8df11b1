// Helpers for the simulator's own suites: start simulators (closed after each test), get a token, call
// the API as a client would, and make seed users.
import { startDoceboSimulator } from './docebo-simulator.ts';
import type { DoceboSimulatorOptions, RunningDoceboSimulator, SeedUser } from './sim-types.ts';

export const user = (n: number, extra: Partial<SeedUser> = {}): SeedUser => ({
  username: `user${String(n).padStart(4, '0')}`,
  email: `user${n}@example.com`,
  first_name: `First${n}`,
  last_name: `Last${n}`,
  active: true,
  expiration_date: null,
  ...extra,
});

export async function token(url: string, form: Record<string, string> = {}) {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'id',
      client_secret: 'secret',
      ...form,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function api(url: string, tok: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tok}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** The raw answer, for calls whose body may not be JSON. */
export async function rawApi(url: string, tok: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tok}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Starts simulators for a suite; `closeAll` goes in its afterEach. */
export function simulators() {
  const running: RunningDoceboSimulator[] = [];
  const start = async (opts: DoceboSimulatorOptions = {}) => {
    const sim = await startDoceboSimulator({ quiet: true, ...opts });
    running.push(sim);
    return sim;
  };
  return {
    start,
    /** A simulator and a token for it. */
    authed: async (opts: DoceboSimulatorOptions = {}) => {
      const s = await start(opts);
      const t = await token(s.url);
      return { s, tok: t.body.access_token as string };
    },
    closeAll: async () => {
      await Promise.all(running.splice(0).map((s) => s.close()));
    },
  };
}
