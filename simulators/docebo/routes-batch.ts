// POST /manage/v1/user/batch: creates and updates users in one synchronous call, one result per row.
// `branch_option` is required (HTTP 400, code 1006, when missing); rows are identified by `user_id` or
// `username`; `active` and `expiration_date` set the account state.
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

function readRowExpiration(raw: unknown): { ok: true; value: string | null | undefined } | { ok: false } {
  if (raw === undefined) return { ok: true, value: undefined };
  if (raw === null || raw === '') return { ok: true, value: null };
  if (typeof raw === 'string' && isValidDate(raw)) return { ok: true, value: raw };
  return { ok: false };
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
    const faults = state.faults;

    const results: RowResult[] = body.items.map((raw, rowIndex): RowResult => {
      state.batchRowsSeen += 1;
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const userIdText = text(item.user_id);
      const usernameText = text(item.username);
      const fail = (message: string, username: string | null = usernameText): RowResult => ({
        row_index: rowIndex,
        success: false,
        message,
        output: { username, error: message },
      });

      let user: SimUser | undefined;
      if (userIdText !== null) {
        user = state.users.get(Number(userIdText));
        if (!user) return fail(`User with id ${userIdText} not found`);
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
      const expiration = readRowExpiration(item.expiration_date);
      if (!expiration.ok)
        return fail('Invalid date format for field expiration_date, expected YYYY-MM-DD', username);
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
    return { data: results };
  });
}
