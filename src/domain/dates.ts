// Calendar dates as 'YYYY-MM-DD' strings: they compare correctly as strings and survive JSON unchanged.
import type { Brand } from './ids.ts';

export type IsoDate = Brand<string, 'IsoDate'>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(raw: string): IsoDate | null {
  const m = DATE.exec(raw.trim().slice(0, 10));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return raw.trim().slice(0, 10) as IsoDate;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A Salesforce date (`2026-01-31`) or dateTime (`2026-01-31T09:00:00.000Z`, its UTC day) as a day; null
 * for anything else, including text that merely starts like a date. What a rule's retireOn reads.
 */
export function parseDateOrDateTime(raw: string): IsoDate | null {
  const text = raw.trim();
  if (DATE.test(text)) return parseIsoDate(text);
  if (!DATE_TIME.test(text) || parseIsoDate(text) === null) return null;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : (new Date(ms).toISOString().slice(0, 10) as IsoDate);
}

export function isoDateOf(instant: Date, timeZone = 'UTC'): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant) as IsoDate;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const dt = new Date(`${date}T00:00:00Z`);
  dt.setUTCDate(dt.getUTCDate() + days);
  return dt.toISOString().slice(0, 10) as IsoDate;
}

export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
