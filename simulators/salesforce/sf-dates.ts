// Salesforce's JSON date forms: dates 'YYYY-MM-DD', dateTimes 'YYYY-MM-DDTHH:mm:ss.SSS+0000' (UTC).

const DAY_MS = 86_400_000;

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses a date 'YYYY-MM-DD' strictly (no rollover); returns UTC midnight in ms or null. */
export function parseDate(raw: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const dt = new Date(ms);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return ms;
}

/** Parses an ISO dateTime with Z, ±hh:mm or ±hhmm offset; returns ms or null. */
export function parseDateTime(raw: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.exec(raw);
  if (!m || parseDate(m[1] ?? '') === null) return null;
  const zone = m[6] === 'Z' ? 'Z' : `${(m[6] ?? '').slice(0, 3)}:${(m[6] ?? '').slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${(m[5] ?? '').slice(0, 4)}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function addDaysMs(ms: number, days: number): number {
  return ms + days * DAY_MS;
}

export { DAY_MS };
