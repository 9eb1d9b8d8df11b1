// Salesforce-style ids: a 3-char key prefix, a case-sensitive 15-char body and the 3-char checksum that
// makes the 18-char form case-insensitive. Written here (not imported from src/) because simulators stand
// alone; the algorithm is the one in the reference (§5.1).

const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const KEY_PREFIX = {
  Account: '001',
  Contact: '003',
  User: '005',
  Organization: '00D',
  QueryLocator: '01g',
};

export function idChecksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX.charAt(bits);
  }
  return out;
}

export function toId18(id15: string): string {
  return id15 + idChecksum(id15);
}

/** True for an 18-char id whose suffix matches its body. */
export function isValidId18(id: string): boolean {
  return /^[a-zA-Z0-9]{18}$/.test(id) && idChecksum(id.slice(0, 15)) === id.slice(15).toUpperCase();
}

/** Accepts a 15- or 18-char id and returns the canonical 18-char form, or null. */
export function normalizeId(raw: string): string | null {
  if (/^[a-zA-Z0-9]{15}$/.test(raw)) return toId18(raw);
  if (isValidId18(raw)) return toId18(raw.slice(0, 15));
  return null;
}

function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  do {
    s = BASE62.charAt(v % 62) + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return s.padStart(width, '0');
}

/** Mints ids per key prefix; the `RO` pod marker and mixed-case counters exercise the checksum. */
export class IdGenerator {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    // Spread the counter so consecutive ids differ in case as well as digits.
    return toId18(`${prefix}RO${base62(n * 7919 + 238_328, 10)}`.slice(0, 15));
  }
}
