// Bulk edits by id list: change_status (activate/deactivate) and mass_edit (e.g. one expiration date).
import type { FastifyInstance } from 'fastify';
import type { DoceboState } from './docebo-state.ts';
import { readAdditionalFields, readFlag, sendError } from './docebo-payloads.ts';
import { readExpiration } from './routes-users.ts';

const idList = (raw: unknown): number[] | null =>
  Array.isArray(raw) ? raw.map(Number).filter((n) => Number.isInteger(n)) : null;

export async function bulkRoutes(app: FastifyInstance, opts: { state: DoceboState }) {
  const { state } = opts;

  app.put('/manage/v1/user/change_status', async (req, reply) => {
    const body = (req.body ?? {}) as { user_ids?: unknown; status?: unknown };
    const ids = idList(body.user_ids);
    const status = readFlag(body.status);
    if (!ids || ids.length === 0) return sendError(reply, 400, ['Missing required parameter: user_ids']);
    if (status === null) return sendError(reply, 400, ['Invalid parameter: status']);
    const updated: number[] = [];
    const notUpdated: number[] = [];
    for (const id of ids) {
      const user = state.users.get(id);
      // "You cannot change the status of a user who is expired" (UI); the API's answer is unknown.
      if (user && state.isExpired(user) && state.quirks.changeStatusExpired === 'error') {
        return sendError(reply, 400, [`Cannot change the status of expired user ${id}`]);
      }
      if (!user || state.isExpired(user)) {
        notUpdated.push(id);
        continue;
      }
      user.valid = status;
      state.touch(user);
      updated.push(id);
    }
    return { data: { success: true, updated_ids: updated, not_updated_ids: notUpdated } };
  });

  app.put('/manage/v1/user/mass_edit', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = idList(body.user_ids);
    if (!ids || ids.length === 0) return sendError(reply, 400, ['Missing required parameter: user_ids']);
    const expiration = readExpiration(body.expiration);
    const fields = readAdditionalFields(body.additional_fields);
    return {
      data: ids.map((id) => {
        const user = state.users.get(id);
        if (!user) return { success: false, updated_id: id, message: ['User not found'] };
        if (!expiration.ok) return { success: false, updated_id: id, message: ['Invalid expiration date'] };
        if (expiration.value !== undefined) user.expirationDate = expiration.value;
        Object.assign(user.fields, fields);
        state.touch(user);
        return { success: true, updated_id: id, message: [] };
      }),
    };
  });
}
