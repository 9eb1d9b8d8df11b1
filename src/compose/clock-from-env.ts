// `ROSTER_NOW` (an ISO date or instant) moves Roster's "today", for rehearsals against simulators.
import { RosterError } from '../domain/errors.ts';
import { shiftedClock, systemClock, type Clock } from '../ports/clock.ts';

export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const raw = env.ROSTER_NOW;
  if (!raw) return systemClock;
  const start = new Date(raw);
  if (Number.isNaN(start.getTime()))
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `ROSTER_NOW="${raw}" is not a date: expected e.g. 2026-12-01 or 2026-12-01T09:00:00Z, or unset it.`,
    );
  return shiftedClock(start);
}
