// The worker loop in virtual time: the micro-batch window, idle pauses, reconciliations that go first
// and cancel an open window, and a stop that waits for the round in flight.
import { describe, expect, it } from 'vitest';
import { settle, TestClock } from '../../../test/helpers/test-clock.ts';
import { WorkerLoop } from './worker-loop.ts';

function harness(opts: { windowMs?: number; idleMs?: number } = {}) {
  const clock = new TestClock();
  const log: string[] = [];
  let due = 0;
  let release: (() => void) | null = null;
  const loop = new WorkerLoop({
    clock,
    windowMs: opts.windowMs ?? 1000,
    idleMs: opts.idleMs ?? 60_000,
    runJobs: async () => {
      if (due === 0) return false;
      log.push(`jobs ${due} at +${clock.now().getTime() - start}`);
      due = 0;
      return true;
    },
    reconcile: async (reason) => {
      log.push(`reconcile ${reason}`);
      if (reason === 'slow') await new Promise<void>((r) => (release = r));
    },
  });
  const start = clock.now().getTime();
  return {
    clock,
    loop,
    log,
    queue: (n: number) => {
      due += n;
      loop.notify();
    },
    becomeDue: (n: number) => void (due += n),
    release: () => release?.(),
  };
}

describe('WorkerLoop', () => {
  it('waits for the window to close, and later events ride along instead of extending it', async () => {
    const h = harness({ windowMs: 1000 });
    h.loop.start();
    await h.loop.whenIdle();
    h.queue(1);
    await h.clock.tick(600);
    h.queue(2);
    await h.clock.tick(399);
    expect(h.log).toEqual([]);
    await h.clock.tick(1);
    await h.loop.whenIdle();
    expect(h.log).toEqual(['jobs 3 at +1000']);
    await h.loop.stop();
  });

  it('looks for due retries after an idle pause, without any event', async () => {
    const h = harness({ idleMs: 5000 });
    h.loop.start();
    await h.loop.whenIdle();
    // A backed-off job becomes due in the store: nothing notifies the loop, the idle pause finds it.
    h.becomeDue(1);
    await h.clock.tick(4999);
    expect(h.log).toEqual([]);
    await h.clock.tick(1);
    await h.loop.whenIdle();
    expect(h.log).toEqual(['jobs 1 at +5000']);
    await h.loop.stop();
  });

  it('runs a requested reconciliation first, cancelling the window, and refuses a second while one waits', async () => {
    const h = harness({ windowMs: 1000 });
    h.loop.start();
    await h.loop.whenIdle();
    h.queue(1);
    expect(h.loop.requestReconcile('admin').accepted).toBe(true);
    expect(h.loop.requestReconcile('again')).toMatchObject({ accepted: false });
    await settle();
    await h.loop.whenIdle();
    // The window was cancelled: the queued job went right after the reconciliation.
    expect(h.log).toEqual(['reconcile admin', 'jobs 1 at +0']);
    await h.loop.stop();
  });

  it('a reconciliation asked for while jobs run goes next, without an idle pause', async () => {
    const h = harness({ idleMs: 60_000 });
    h.loop.start();
    // The loop is inside its first round of jobs (none due) when the request arrives.
    expect(h.loop.requestReconcile('feed lost track').accepted).toBe(true);
    await settle();
    await h.loop.whenIdle();
    expect(h.log).toEqual(['reconcile feed lost track']);
    await h.loop.stop();
  });

  it('stop waits for the round in flight', async () => {
    const h = harness();
    h.loop.start();
    h.loop.requestReconcile('slow');
    await settle();
    expect(h.loop.reconciling).toBe(true);
    let stopped = false;
    const stopping = h.loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    h.release();
    await stopping;
    expect(stopped).toBe(true);
    expect(h.clock.pending()).toBe(0);
  });
});
