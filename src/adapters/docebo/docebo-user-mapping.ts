// Docebo list items → LmsUser. Vendor names (`status`, `expired`, `field_N`) stop here.
import { doceboUserId } from '../../domain/ids.ts';
import type { LmsUser } from '../../domain/lms.ts';
import type { DoceboUserItem } from './docebo-schemas.ts';

const FIELD_KEY = /^field_\d+$/;

function fieldValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function toLmsUser(item: DoceboUserItem): LmsUser {
  const fields: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(item)) if (FIELD_KEY.test(key)) fields[key] = fieldValue(value);
  return {
    id: doceboUserId(item.user_id),
    username: item.username,
    email: item.email.trim() === '' ? null : item.email,
    firstName: item.first_name,
    lastName: item.last_name,
    // A missing status is read as active: Docebo's default for a user is activated.
    active: item.status ?? true,
    expirationDate: item.expiration_date,
    expired: item.expired ?? false,
    fields,
  };
}
