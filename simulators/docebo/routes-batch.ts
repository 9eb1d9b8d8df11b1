// POST /manage/v1/user/batch: creates and updates users in one synchronous call, one result per row.
// `branch_option` is required (HTTP 400, code 1006, when missing); rows are identified by `user_id` (an
// integer, "the numeric id for a user": a string is refused, row by row, as a strict platform would) or
// `username`; `active` and `expiration_date` set the account state. Updating an existing user without
// `ignore_password_change_for_existing_users: true` makes them change their password at the next login.
import type { FastifyInstance } from 'fastify';
import { isValidDate, type DoceboState, type SimUser } from './docebo-state.ts';
import { readFlag, sendError } from './docebo-payloads.ts';

const BRANCH_OPTIONS = new Set(['existing', 'do_nothing', 'autocreate']);

interface RowResult {
  row_index: number;
  success: boolean;
  message: string;
  output: Record<string, unknown>;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

type RowExpiration = { ok: true; value: string | null | undefined } | { ok: false; message: string };

const BAD_DATE = 'Invalid date format for field expiration_date, expected YYYY-MM-DD';

/** `undefined` leaves the date as it is; what "" and null do is a switch (the reference does not say). */
function readRowExpiration(state: DoceboState, raw: unknown): RowExpiration {
  if (raw === undefined) return { ok: true, value: undefined };
  if (raw === '')
    return { ok: true, value: state.quirks.batchEmptyExpiration === 'clears' ? null : undefined };
  if (raw === null) {
    const q = state.quirks.batchNullExpiration;
    if (q === 'rejected') return { ok: false, message: BAD_DATE };
    return { ok: true, value: q === 'clears' ? null : undefined };
  }
  if (typeof raw === 'string' && isValidDate(raw)) return { ok: true, value: raw };
  return { ok: false, message: BAD_DATE };
}

/** A row result in the shape the `batchRowShape` switch asks for. */
function shaped(state: DoceboState, r: RowResult): Record<string, unknown> {
  switch (state.quirks.batchRowShape) {
    case 'sparse':
      return r.success
        ? { row_index: r.row_index, success: true }
        : { row_index: r.row_index, success: false, message: r.message };
    case 'arrays':
      return r.success
        ? { row_index: r.row_index, success: true, message: [], output: [] }
        : { row_index: r.row_index, success: false, message: [r.message] };
    default:
      return { ...r };
  }
}

export async function batchRoutes(app: FastifyInstance, opts: { state: DoceboState }) {
  const { state } = opts;

  app.post('/manage/v1/user/batch', async (req, reply) => {
    const body = (req.body ?? {}) as { items?: unknown; options?: Record<string, unknown> };
    const options = body.options && typeof body.options === 'object' ? body.options : {};
    const branchOption = text(options.branch_option);
    if (!branchOption) return sendError(reply, 400, ['Required option not set: branch_option'], 1006);
    if (!BRANCH_OPTIONS.has(branchOption)) {
      return sendError(reply, 400, [`Invalid value for option branch_option: ${branchOption}`], 1006);
    }
    if (branchOption === 'existing' && options.destination_branch === undefined) {
      return sendError(reply, 400, ['Required option not set: destination_branch'], 1006);
    }
    if (!Array.isArray(body.items) || body.items.length === 0) {
      return sendError(reply, 400, ['Required parameter not set: items'], 1006);
    }
    const updateExisting = readFlag(options.update_user_info) ?? false;
    const keepPasswords = readFlag(options.ignore_password_change_for_existing_users) ?? false;
    const faults = state.faults;

    const results: RowResult[] = body.items.map((raw, rowIndex): RowResult => {
      state.batchRowsSeen += 1;
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const usernameText = text(item.username);
      const fail = (message: string, username: string | null = usernameText): RowResult => ({
        row_index: rowIndex,
        success: false,
        message,
        output: { username, error: message },
      });

      let user: SimUser | undefined;
      if (item.user_id !== undefined && item.user_id !== null) {
        // Documented as "integer — the numeric id for a user": "12301" is not one.
        if (typeof item.user_id !== 'number' || !Number.isInteger(item.user_id)) {
          return fail(
            `Invalid value for field user_id: expected an integer, got ${JSON.stringify(item.user_id)}`,
          );
        }
        user = state.users.get(item.user_id);
        if (!user) return fail(`User with id ${item.user_id} not found`);
      } else if (usernameText !== null && usernameText !== '') {
        user = state.findByUsername(usernameText);
      } else {
        return fail('Missing user identifier: username or user_id');
      }

      const username = user?.username ?? usernameText;
      if (faults.failEveryNthRow && state.batchRowsSeen % faults.failEveryNthRow === 0) {
        return fail('Unable to save user: an internal error occurred', username);
      }
      if (username && faults.failUsernames.some((u) => u.toLowerCase() === username.toLowerCase())) {
        return fail('Unable to save user: an internal error occurred', username);
      }

      const active = item.active === undefined ? undefined : readFlag(item.active);
      if (active === null) return fail('Invalid value for field active', username);
      const expiration = readRowExpiration(state, item.expiration_date);
      if (!expiration.ok) return fail(expiration.message, username);
      const firstName = text(item.firstname ?? item.first_name);
      const lastName = text(item.lastname ?? item.last_name);
      const email = text(item.email);

      if (!user) {
        user = state.createUser({
          username: usernameText as string,
          email,
          firstName: firstName ?? '',
          lastName: lastName ?? '',
          valid: active ?? true,
          expirationDate: expiration.value ?? null,
          fields: {},
        });
      } else {
        if (!updateExisting) return fail('User already exists', username);
        if (active !== undefined) user.valid = active;
        if (expiration.value !== undefined) user.expirationDate = expiration.value;
        if (firstName !== null) user.firstName = firstName;
        if (lastName !== null) user.lastName = lastName;
        if (email !== null) user.email = email || null;
        // "If set to false [default], all updated users will need to update their password when logging
        // in next time" (the option's text in the API browser).
        if (!keepPasswords) user.forceChange = true;
        state.touch(user);
      }
      for (const [k, v] of Object.entries(item)) {
        if (/^field_\d+$/.test(k)) user.fields[k] = v === null ? null : String(v);
      }
      return {
        row_index: rowIndex,
        success: true,
        message: '',
        output: { user_id: user.id, username: user.username },
      };
    });
    return { data: results.map((r) => shaped(state, r)) };
  });
}
