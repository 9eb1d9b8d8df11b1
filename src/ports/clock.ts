// Time is injected so that rate limits, backoff and "today" run in virtual time under test.
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A clock that starts at `start` and then runs at real speed. `ROSTER_NOW` uses it so that a rehearsal
 * against simulators can live on a chosen day (e.g. after a retirement date has passed).
 */
export function shiftedClock(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset), sleep: (ms) => base.sleep(ms) };
}
