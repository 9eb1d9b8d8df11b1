// Docebo's wire shapes: the Yii-style error envelope and the two user shapes (list item and detail).
// List items carry string ids and flags (as captured from a real platform); the detail view keeps the
// 2017 spec's names (`valid`, `expiration`) and numeric types, as the reference shows them.
import type { FastifyReply } from 'fastify';
import type { DoceboState, SimUser } from './docebo-state.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function errorBody(status: number, messages: string[], code = 0) {
  return { name: STATUS_NAMES[status] ?? 'Error', message: messages, code, status };
}

export function sendError(reply: FastifyReply, status: number, messages: string[], code = 0): FastifyReply {
  return reply.code(status).send(errorBody(status, messages, code));
}

export function emptyDateValue(state: DoceboState): string | null {
  return state.quirks.emptyDate === 'zero' ? '0000-00-00' : null;
}

export function listItem(state: DoceboState, u: SimUser) {
  return {
    user_id: String(u.id),
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email ?? '',
    uuid: u.uuid,
    is_manager: false,
    fullname: `${u.firstName} ${u.lastName}`.trim(),
    last_access_date: null,
    last_update: u.lastUpdate,
    creation_date: u.creationDate,
    status: u.valid ? '1' : '0',
    avatar: '',
    language: 'English',
    lang_code: 'english',
    expiration_date: u.expirationDate ?? emptyDateValue(state),
    level: u.level,
    email_validation_status: '1',
    send_notification: '0',
    newsletter_optout: '0',
    newsletter_optout_date: null,
    encoded_username: encodeURIComponent(u.username),
    timezone: 'UTC',
    date_format: null,
    ...u.fields,
    multidomains: [],
    manager_names: { '1': { manager_title: 'Direct Manager', manager_name: null, manager_username: null } },
    managers: [],
    active_subordinates_count: 0,
    actions: ['edit', 'delete'],
    expired: state.isExpired(u),
  };
}

export function detailView(state: DoceboState, u: SimUser) {
  return {
    data: {
      user_data: {
        user_id: u.id,
        username: u.username,
        first_name: u.firstName,
        last_name: u.lastName,
        email: u.email ?? '',
        valid: u.valid ? 1 : 0,
        expiration: u.expirationDate ?? emptyDateValue(state),
        level: u.level,
        role_id: null,
        role_title: null,
        timezone: 'UTC',
        date_format: 'en',
        email_validation_status: 1,
        manager_username: null,
        manager_first_name: null,
        manager_last_name: null,
        avatar: '',
        force_change: u.forceChange ? '1' : '0',
      },
      additional_fields: Object.entries(u.fields).map(([key, value]) => ({
        id: Number(key.replace('field_', '')),
        title: key,
        value,
        mandatory: 0,
        invisible_to_user: 0,
      })),
    },
    version: '1.0.0',
    _links: [],
  };
}

/** `additional_fields` arrive as `[{id, value}]` (spec) or `{ "<id>": value }` (real clients); accept both. */
export function readAdditionalFields(raw: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const put = (id: unknown, value: unknown) => {
    if (id === undefined || id === null) return;
    out[`field_${String(id)}`] = value === null || value === undefined ? null : String(value);
  };
  if (Array.isArray(raw)) {
    for (const f of raw)
      if (f && typeof f === 'object') put((f as { id?: unknown }).id, (f as { value?: unknown }).value);
  } else if (raw && typeof raw === 'object') {
    for (const [id, value] of Object.entries(raw)) put(id, value);
  }
  return out;
}

/** Booleans arrive as true/false, 1/0 or their string forms. */
export function readFlag(raw: unknown): boolean | null {
  if (raw === true || raw === 1 || raw === '1' || raw === 'true') return true;
  if (raw === false || raw === 0 || raw === '0' || raw === 'false') return false;
  return null;
}
