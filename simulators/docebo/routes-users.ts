// Single-user endpoints and the paginated listing of /manage/v1/user.
import type { FastifyInstance } from 'fastify';
import { isValidDate, type DoceboState, type SimUser } from './docebo-state.ts';
import { detailView, listItem, readAdditionalFields, readFlag, sendError } from './docebo-payloads.ts';

const MAX_PAGE_SIZE = 200;
const SORTABLE = new Set([
  'username',
  'first_name',
  'status',
  'level',
  'email',
  'last_access_date',
  'expiration_date',
  'language',
  'email_validation_status',
]);

type Query = Record<string, string | undefined>;

function sortKey(u: SimUser, attr: string): string {
  switch (attr) {
    case 'username':
      return u.username.toLowerCase();
    case 'email':
      return (u.email ?? '').toLowerCase();
    case 'status':
      return u.valid ? '1' : '0';
    case 'level':
      return u.level;
    case 'expiration_date':
      return u.expirationDate ?? '';
    case 'first_name':
      return u.firstName.toLowerCase();
    default:
      return '';
  }
}

function matches(u: SimUser, text: string, full: boolean): boolean {
  const t = text.toLowerCase();
  const haystack = [u.username, u.firstName, u.lastName, u.email ?? ''].map((s) => s.toLowerCase());
  return full ? haystack.some((s) => s === t) : haystack.some((s) => s.includes(t));
}

function intParam(raw: string | undefined, fallback: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) ? n : null;
}

/** `expiration` in PUT/POST bodies: `YYYY-MM-DD`, or empty/null to clear. Undefined = leave as is. */
export function readExpiration(raw: unknown): { ok: true; value: string | null | undefined } | { ok: false } {
  if (raw === undefined) return { ok: true, value: undefined };
  if (raw === null || raw === '' || raw === '0000-00-00') return { ok: true, value: null };
  if (typeof raw === 'string' && isValidDate(raw.slice(0, 10))) return { ok: true, value: raw.slice(0, 10) };
  return { ok: false };
}

export async function userRoutes(app: FastifyInstance, opts: { state: DoceboState }) {
  const { state } = opts;

  app.get('/manage/v1/user', async (req, reply) => {
    const q = req.query as Query;
    const page = intParam(q.page, 1);
    let pageSize = intParam(q.page_size, MAX_PAGE_SIZE);
    if (page === null || page < 1) return sendError(reply, 400, ['Invalid parameter: page']);
    if (pageSize === null || pageSize < 1) return sendError(reply, 400, ['Invalid parameter: page_size']);
    if (pageSize > MAX_PAGE_SIZE) {
      if (state.quirks.pageSizeOverMax === 'error') {
        return sendError(reply, 400, [`page_size must be at most ${MAX_PAGE_SIZE}`]);
      }
      pageSize = MAX_PAGE_SIZE;
    }
    const sortAttr = q.sort_attr ?? 'first_name';
    if (!SORTABLE.has(sortAttr)) return sendError(reply, 400, [`Invalid sort attribute: ${sortAttr}`]);
    const dir = (q.sort_dir ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
    // `branch_id` is accepted; every simulated user sits in the root branch, so it does not narrow.

    let users = [...state.users.values()];
    if (q.search_text)
      users = users.filter((u) => matches(u, q.search_text as string, q.match_type === 'full'));
    users.sort((a, b) => dir * sortKey(a, sortAttr).localeCompare(sortKey(b, sortAttr)) || a.id - b.id);

    const total = users.length;
    const totalPages = Math.max(1, Math.ceil(total / pageSize));
    // A scripted overlap repeats the previous page's last users, as an insertion between calls would.
    const from = Math.max(0, (page - 1) * pageSize - (page > 1 ? state.faults.pageOverlap : 0));
    const items = users.slice(from, from + pageSize).map((u) => listItem(state, u));
    const base = `/manage/v1/user?page_size=${pageSize}`;
    return {
      data: {
        items,
        count: items.length,
        has_more_data: page < totalPages,
        current_page: page,
        current_page_size: pageSize,
        total_page_count: totalPages,
        ...(q.get_total_count === '1' || q.get_total_count === 'true' ? { total_count: total } : {}),
      },
      version: '1.0.0',
      _links: [
        { first: `${base}&page=1`, last: `${base}&page=${totalPages}`, self: page, goto: `${base}&page=` },
      ],
    };
  });

  app.get('/manage/v1/user/:id', async (req, reply) => {
    const user = state.users.get(Number((req.params as { id: string }).id));
    if (!user) return sendError(reply, 404, ['User not found']);
    return detailView(state, user);
  });

  app.post('/manage/v1/user', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.userid === 'string' ? body.userid.trim() : '';
    if (!username) return sendError(reply, 400, ['Missing required field: userid']);
    if (state.findByUsername(username)) {
      return { data: { success: false, message: [{ id: 'userid', message: 'Username already exists' }] } };
    }
    const expiration = readExpiration(body.expiration);
    if (!expiration.ok)
      return { data: { success: false, message: [{ id: 'expiration', message: 'Invalid date' }] } };
    const user = state.createUser({
      username,
      email: typeof body.email === 'string' && body.email ? body.email : null,
      firstName: typeof body.firstname === 'string' ? body.firstname : '',
      lastName: typeof body.lastname === 'string' ? body.lastname : '',
      valid: readFlag(body.valid) ?? true,
      expirationDate: expiration.value ?? null,
      fields: readAdditionalFields(body.additional_fields),
    });
    return { data: { success: true, user_id: user.id } };
  });

  app.put('/manage/v1/user/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const user = state.users.get(Number(id));
    if (!user) return sendError(reply, 404, ['User not found']);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const expiration = readExpiration(body.expiration);
    if (!expiration.ok) {
      return { data: { success: false, message: [{ id: 'expiration', message: 'Invalid date' }] } };
    }
    if (typeof body.userid === 'string' && body.userid) user.username = body.userid;
    if (typeof body.email === 'string') user.email = body.email || null;
    if (typeof body.firstname === 'string') user.firstName = body.firstname;
    if (typeof body.lastname === 'string') user.lastName = body.lastname;
    if (expiration.value !== undefined) user.expirationDate = expiration.value;
    // `valid` is not in the 2017 update schema; whether today's API honours it is unknown. Accepted here.
    const valid = readFlag(body.valid);
    if (valid !== null) user.valid = valid;
    Object.assign(user.fields, readAdditionalFields(body.additional_fields));
    state.touch(user);
    return { data: { success: true, updated_id: user.id, message: [] } };
  });

  // Exists on the real API; Roster never calls it (deletion destroys learning history).
  app.delete('/manage/v1/user/delete', async (req, reply) => {
    const body = (req.body ?? {}) as { user_ids?: unknown; user_names?: unknown };
    const deleted: number[] = [];
    const ids = Array.isArray(body.user_ids) ? body.user_ids.map(Number) : [];
    const names = Array.isArray(body.user_names) ? body.user_names.map(String) : [];
    if (ids.length === 0 && names.length === 0)
      return sendError(reply, 400, ['user_ids or user_names required']);
    for (const id of ids) if (state.users.delete(id)) deleted.push(id);
    for (const name of names) {
      const u = state.findByUsername(name);
      if (u && state.users.delete(u.id)) deleted.push(u.id);
    }
    return { data: { success: true, deleted_user_ids: deleted } };
  });
}
