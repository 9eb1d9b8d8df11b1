// The hourly Docebo budget, shared with every other Roster process on the same store: calls made in the
// last hour (by `serve`, or an earlier `apply`) count, and each new call is recorded. Records are written
// in small groups and on a timer; a group lost in a crash only makes the next hour a little generous,
// so a failed write is reported, never thrown into the Docebo call that triggered it.
import type { CallLog } from '../ports/call-log.ts';
import type { Clock, Timer } from '../ports/clock.ts';
import { SlidingWindowBudget } from './sliding-window-budget.ts';

const HOUR_MS = 3_600_000;

export interface PersistentBudgetOptions {
  callsPerHour: number;
  calls: CallLog;
  clock: Clock;
  /** Told of every call granted (a metric). */
  onCall?: () => void;
  /** Told when recording calls failed. */
  onError?: (e: unknown) => void;
  /** Write once this many calls wait; default 10. */
  groupSize?: number;
  /** Also write what waits this often; default 5 s, null for never (one-shot commands flush on close). */
  flushEveryMs?: number | null;
}

export interface PersistentBudget {
  budget: SlidingWindowBudget;
  /** Writes the calls not yet recorded; resolves when they (and earlier writes) are done. */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

export async function persistentBudget(opts: PersistentBudgetOptions): Promise<PersistentBudget> {
  const { calls, clock } = opts;
  const since = new Date(clock.now().getTime() - HOUR_MS).toISOString();
  const past = (await calls.recent('docebo', since)).map((at) => Date.parse(at));
  const groupSize = opts.groupSize ?? 10;
  let pending: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const group = pending;
    pending = [];
    if (group.length > 0)
      writing = writing
        .then(() => calls.record('docebo', group))
        .catch((e: unknown) => {
          opts.onError?.(e);
        });
    return writing;
  };
  const budget = new SlidingWindowBudget({
    callsPerHour: opts.callsPerHour,
    clock,
    pastCalls: past,
    onCall: (atMs) => {
      pending.push(new Date(atMs).toISOString());
      opts.onCall?.();
      if (pending.length >= groupSize) void flush();
    },
  });
  const every = opts.flushEveryMs === undefined ? 5000 : opts.flushEveryMs;
  let timer: Timer | null = null;
  const arm = () => {
    if (every !== null)
      timer = clock.setTimer(every, () => {
        void flush();
        arm();
      });
  };
  arm();
  return {
    budget,
    flush,
    close: () => {
      timer?.cancel();
      timer = null;
      return flush();
    },
  };
}
