// The simulator's own surface (no auth, never logged as API calls): seed users, read them back, inspect
// the call log, move the clock, script faults and flip the switches for what the reference leaves open.
import type { FastifyInstance } from 'fastify';
import type { DoceboState } from './docebo-state.ts';
import { isValidDate } from './docebo-state.ts';
import {
  noFaults,
  type DoceboQuirks,
  type FaultResponse,
  type SeedUser,
  type UnreadableAnswer,
} from './sim-types.ts';

const bad = (message: string) => ({ error: message });

function parseSeedUser(raw: unknown): SeedUser | string {
  if (!raw || typeof raw !== 'object') return 'each user must be an object';
  const u = raw as Record<string, unknown>;
  if (typeof u.username !== 'string' || !u.username) return 'username is required';
  const exp = u.expiration_date ?? null;
  if (exp !== null && (typeof exp !== 'string' || !isValidDate(exp))) {
    return `expiration_date of ${u.username} must be YYYY-MM-DD or null`;
  }
  const fields: Record<string, string | null> = {};
  if (u.fields && typeof u.fields === 'object') {
    for (const [k, v] of Object.entries(u.fields)) fields[k] = v === null ? null : String(v);
  }
  return {
    username: u.username,
    email: typeof u.email === 'string' && u.email ? u.email : null,
    first_name: typeof u.first_name === 'string' ? u.first_name : '',
    last_name: typeof u.last_name === 'string' ? u.last_name : '',
    active: u.active !== false,
    expiration_date: exp as string | null,
    fields,
  };
}

export async function adminRoutes(app: FastifyInstance, opts: { state: DoceboState }) {
  const { state } = opts;

  app.get('/__admin/calls', async () => state.calls.map((c) => ({ ...c })));
  app.delete('/__admin/calls', async () => {
    state.calls.length = 0;
    return { ok: true };
  });

  app.post('/__admin/seed', async (req, reply) => {
    const body = (req.body ?? {}) as { users?: unknown };
    if (!Array.isArray(body.users)) return reply.code(400).send(bad('expected {users: [...]}'));
    const users: SeedUser[] = [];
    for (const raw of body.users) {
      const parsed = parseSeedUser(raw);
      if (typeof parsed === 'string') return reply.code(400).send(bad(parsed));
      users.push(parsed);
    }
    return { ids: state.seed(users) };
  });

  app.get('/__admin/users', async () =>
    [...state.users.values()].map((u) => ({
      user_id: String(u.id),
      username: u.username,
      email: u.email,
      first_name: u.firstName,
      last_name: u.lastName,
      active: u.valid,
      expiration_date: u.expirationDate,
      expired: state.isExpired(u),
      must_change_password: u.forceChange,
      fields: { ...u.fields },
    })),
  );
  app.delete('/__admin/users', async () => {
    state.users.clear();
    return { ok: true };
  });

  app.post('/__admin/clock', async (req, reply) => {
    const body = (req.body ?? {}) as { now?: unknown; advanceDays?: unknown };
    if (typeof body.now === 'string') {
      const at = new Date(body.now);
      if (Number.isNaN(at.getTime())) return reply.code(400).send(bad('now must be an ISO date-time'));
      state.clock.set(at);
    } else if (typeof body.advanceDays === 'number' && Number.isFinite(body.advanceDays)) {
      state.clock.advanceDays(body.advanceDays);
    } else {
      return reply.code(400).send(bad('expected {now: ISO} or {advanceDays: n}'));
    }
    return { now: state.clock.now().toISOString(), today: state.clock.today() };
  });
  app.get('/__admin/clock', async () => ({
    now: state.clock.now().toISOString(),
    today: state.clock.today(),
  }));

  app.delete('/__admin/tokens', async () => {
    state.revokeTokens();
    return { ok: true };
  });

  app.post('/__admin/faults', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const respond: FaultResponse[] = [];
    if (body.respond !== undefined) {
      if (!Array.isArray(body.respond)) return reply.code(400).send(bad('respond must be an array'));
      for (const r of body.respond as Record<string, unknown>[]) {
        if (typeof r?.status !== 'number' || typeof r.times !== 'number') {
          return reply.code(400).send(bad('each respond entry needs status and times'));
        }
        respond.push({
          status: r.status,
          times: r.times,
          ...(typeof r.retryAfterSeconds === 'number' ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
          ...(typeof r.path === 'string' ? { path: r.path } : {}),
        });
      }
    }
    const unreadable: UnreadableAnswer[] = [];
    if (body.unreadable !== undefined) {
      if (!Array.isArray(body.unreadable)) return reply.code(400).send(bad('unreadable must be an array'));
      for (const r of body.unreadable as Record<string, unknown>[]) {
        if (typeof r?.times !== 'number')
          return reply.code(400).send(bad('each unreadable entry needs times'));
        if (r.how !== undefined && r.how !== 'truncated' && r.how !== 'html')
          return reply.code(400).send(bad('unreadable.how is truncated or html'));
        unreadable.push({
          times: r.times,
          ...(typeof r.path === 'string' ? { path: r.path } : {}),
          ...(r.how === 'html' || r.how === 'truncated' ? { how: r.how } : {}),
        });
      }
    }
    state.faults = {
      respond,
      unreadable,
      pageOverlap: typeof body.pageOverlap === 'number' && body.pageOverlap > 0 ? body.pageOverlap : 0,
      failEveryNthRow:
        typeof body.failEveryNthRow === 'number' && body.failEveryNthRow > 0 ? body.failEveryNthRow : null,
      failUsernames: Array.isArray(body.failUsernames) ? body.failUsernames.map(String) : [],
      latencyMs: typeof body.latencyMs === 'number' && body.latencyMs > 0 ? body.latencyMs : 0,
    };
    state.batchRowsSeen = 0;
    return { ok: true };
  });
  // The switches of `DoceboQuirks`, changed while running (e.g. to show what happens to a restore when
  // the platform ignores an empty expiration date).
  app.get('/__admin/quirks', async () => ({ ...state.quirks }));
  app.post('/__admin/quirks', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problem = quirksProblem(state.quirks, body);
    if (problem) return reply.code(400).send(bad(problem));
    Object.assign(state.quirks, body);
    return { ...state.quirks };
  });

  app.delete('/__admin/faults', async () => {
    state.faults = noFaults();
    state.batchRowsSeen = 0;
    return { ok: true };
  });
}

/** Only known switches, each with a value of the type it already has. */
function quirksProblem(current: DoceboQuirks, body: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(body)) {
    if (!(key in current)) return `unknown quirk: ${key}`;
    const now = current[key as keyof DoceboQuirks];
    if (typeof value !== typeof now) return `${key} must be a ${typeof now}`;
  }
  return null;
}
