// Time is injected so that rate limits, backoff, windows and schedules run in virtual time under test.
// Two kinds of waiting: `sleep` is a pause inside one piece of work (backoff, waiting for the call
// budget); `setTimer` arms something for later (a micro-batch window, the next reconciliation, the next
// poll). The test clock (test/helpers/test-clock.ts) lets sleeps pass at once and fires timers on `tick`.
export interface Timer {
  /** Safe to call more than once, and after the timer fired. */
  cancel(): void;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Calls `fn` once, `ms` from now. */
  setTimer(ms: number, fn: () => void): Timer;
}

// setTimeout holds at most ~24.8 days; longer timers re-arm in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function systemTimer(ms: number, fn: () => void): Timer {
  const due = Date.now() + Math.max(0, ms);
  let handle: NodeJS.Timeout;
  const arm = () => {
    handle = setTimeout(
      () => (Date.now() >= due ? fn() : arm()),
      Math.min(Math.max(0, due - Date.now()), MAX_TIMEOUT_MS),
    );
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimer: systemTimer,
};

/**
 * A clock that starts at `start` and then runs at real speed. `ROSTER_NOW` uses it so that a rehearsal
 * against simulators can live on a chosen day (e.g. after a retirement date has passed).
 */
export function shiftedClock(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime();
  return {
    now: () => new Date(base.now().getTime() + offset),
    sleep: (ms) => base.sleep(ms),
    setTimer: (ms, fn) => base.setTimer(ms, fn),
  };
}
