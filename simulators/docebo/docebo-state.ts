// The simulator's in-memory platform: users with Docebo's three account states (activated, deactivated,
// expired), issued tokens, the call log and scripted faults.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from './sim-clock.ts';
import { noFaults, type CallRecord, type DoceboQuirks, type Faults, type SeedUser } from './sim-types.ts';

export interface SimUser {
  id: number;
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  /** Docebo's `valid` / `status`: activated (true) or deactivated (false). */
  valid: boolean;
  expirationDate: string | null;
  fields: Record<string, string | null>;
  level: 'godadmin' | 'poweruser' | 'user';
  /** Docebo's `force_change`: the user must set a new password at the next login. */
  forceChange: boolean;
  uuid: string;
  creationDate: string;
  lastUpdate: string;
}

interface IssuedToken {
  expiresAtMs: number;
  refreshToken: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(raw: string): boolean {
  if (!DATE.test(raw)) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw;
}

export class DoceboState {
  readonly users = new Map<number, SimUser>();
  readonly calls: CallRecord[] = [];
  faults: Faults = noFaults();
  batchInFlight = false;
  /** Rows seen by batch calls since the faults were set, for `failEveryNthRow`. */
  batchRowsSeen = 0;
  private nextId = 12_301;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Set<string>();

  constructor(
    readonly clock: SimClock,
    readonly quirks: DoceboQuirks,
    readonly tokenTtlSeconds: number,
  ) {}

  /** Expired once the expiration date is reached, by the platform clock; no API call needed. */
  isExpired(u: SimUser): boolean {
    return u.expirationDate !== null && u.expirationDate <= this.clock.today();
  }

  findByUsername(username: string): SimUser | undefined {
    const wanted = username.toLowerCase();
    for (const u of this.users.values()) if (u.username.toLowerCase() === wanted) return u;
    return undefined;
  }

  createUser(
    input: Omit<SimUser, 'id' | 'uuid' | 'creationDate' | 'lastUpdate' | 'level' | 'forceChange'> & {
      level?: SimUser['level'];
      forceChange?: boolean;
    },
  ): SimUser {
    const now = this.clock.dateTime();
    const user: SimUser = {
      level: 'user',
      forceChange: false,
      ...input,
      id: this.nextId++,
      uuid: randomUUID(),
      creationDate: now,
      lastUpdate: now,
    };
    this.users.set(user.id, user);
    return user;
  }

  touch(u: SimUser): void {
    u.lastUpdate = this.clock.dateTime();
  }

  /** Adds seed users; a username that exists already is overwritten in place (same id). */
  seed(users: SeedUser[]): Record<string, string> {
    const ids: Record<string, string> = {};
    for (const s of users) {
      const existing = this.findByUsername(s.username);
      const data = {
        username: s.username,
        email: s.email,
        firstName: s.first_name,
        lastName: s.last_name,
        valid: s.active,
        expirationDate: s.expiration_date,
        fields: { ...(s.fields ?? {}) },
        forceChange: false,
      };
      const user = existing ? Object.assign(existing, data) : this.createUser(data);
      ids[s.username] = String(user.id);
    }
    return ids;
  }

  issueToken(withRefresh: boolean): { accessToken: string; refreshToken: string | null } {
    const accessToken = randomBytes(20).toString('hex');
    const refreshToken = withRefresh ? randomBytes(20).toString('hex') : null;
    this.tokens.set(accessToken, {
      expiresAtMs: this.clock.nowMs() + this.tokenTtlSeconds * 1000,
      refreshToken,
    });
    if (refreshToken) this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken };
  }

  /** Every issued token stops working, as when an admin revokes the OAuth2 app's sessions. */
  revokeTokens(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }

  useRefreshToken(token: string): boolean {
    return this.refreshTokens.delete(token);
  }

  tokenStatus(token: string | null): 'valid' | 'missing' | 'invalid' | 'expired' {
    if (!token) return 'missing';
    const t = this.tokens.get(token);
    if (!t) return 'invalid';
    return this.clock.nowMs() >= t.expiresAtMs ? 'expired' : 'valid';
  }
}
