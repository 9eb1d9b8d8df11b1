// The simulator's own surface (no auth, never logged as API calls): seed users, read them back, inspect
// the call log, move the clock and script faults.
import type { FastifyInstance } from 'fastify';
import type { DoceboState } from './docebo-state.ts';
import { isValidDate } from './docebo-state.ts';
import { noFaults, type FaultResponse, type SeedUser } from './sim-types.ts';

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
    state.faults = {
      respond,
      failEveryNthRow:
        typeof body.failEveryNthRow === 'number' && body.failEveryNthRow > 0 ? body.failEveryNthRow : null,
      failUsernames: Array.isArray(body.failUsernames) ? body.failUsernames.map(String) : [],
      latencyMs: typeof body.latencyMs === 'number' && body.latencyMs > 0 ? body.latencyMs : 0,
    };
    state.batchRowsSeen = 0;
    return { ok: true };
  });
  app.delete('/__admin/faults', async () => {
    state.faults = noFaults();
    state.batchRowsSeen = 0;
    return { ok: true };
  });
}
