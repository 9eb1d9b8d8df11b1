// The single owner of Docebo writes in `roster serve`: one loop runs job rounds and reconciliations one
// at a time, so batch calls never overlap (Docebo forbids concurrent batch calls) and a reconciliation
// never races the event path. Everything that must wait (the micro-batch window, an idle pause) waits
// on the Clock's timers, so tests drive it in virtual time.
import type { Clock, Timer } from '../../ports/clock.ts';

export interface WorkerLoopOptions {
  clock: Clock;
  /** Micro-batch window: after the first event of a quiet spell, wait this long for the rest. */
  windowMs: number;
  /** How long an idle loop rests before it looks for due retries again. */
  idleMs: number;
  /** One round of due jobs; true when there was work (then the loop goes on at once). */
  runJobs(): Promise<boolean>;
  /** A full reconciliation; it reports its own failures. */
  reconcile(reason: string): Promise<void>;
}

export class WorkerLoop {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private window: Timer | null = null;
  private rest: { timer: Timer; wake: () => void } | null = null;
  private reconcileReason: string | null = null;
  private reconcilingNow = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WorkerLoopOptions) {}

  /** Starts the loop (again, after a stop: a standby that becomes active once more). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops taking work and resolves once the round in flight (journaled as it goes) has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.window?.cancel();
    this.rest?.wake();
    await this.loop;
    this.loop = null;
  }

  /** Work was queued: it runs when the window closes. Later events ride along instead of extending it. */
  notify(): void {
    if (this.window) return;
    this.window = this.opts.clock.setTimer(this.opts.windowMs, () => {
      this.window = null;
      this.rest?.wake();
    });
  }

  requestReconcile(reason: string): { accepted: boolean; message: string } {
    if (this.reconcileReason !== null || this.reconcilingNow)
      return { accepted: false, message: 'a reconciliation is already queued or running' };
    this.reconcileReason = reason;
    // A reconciliation plans everything: an open window has nothing left to wait for.
    this.window?.cancel();
    this.window = null;
    this.rest?.wake();
    return { accepted: true, message: `reconciliation queued (${reason})` };
  }

  get reconciling(): boolean {
    return this.reconcilingNow;
  }

  /** Resolves once the loop rests with nothing to do (at once if it rests now). Tests drive it with this. */
  whenIdle(): Promise<void> {
    // Not running (stopped, or a standby): nothing will happen until it starts.
    if (this.loop === null) return Promise.resolve();
    if (this.rest !== null && this.reconcileReason === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const reason = this.reconcileReason;
      if (reason !== null) {
        this.reconcileReason = null;
        this.reconcilingNow = true;
        try {
          await this.opts.reconcile(reason);
        } finally {
          this.reconcilingNow = false;
        }
        continue;
      }
      // Jobs inside the micro-batch window wait for it to close, so a cascade goes out in full batches.
      const worked = this.window === null ? await this.opts.runJobs() : false;
      // A reconciliation asked for while jobs ran must not wait out an idle pause.
      if (!worked && !this.stopping && this.reconcileReason === null) await this.pause(this.opts.idleMs);
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (this.rest?.wake !== wake) return;
        this.rest.timer.cancel();
        this.rest = null;
        resolve();
      };
      this.rest = { timer: this.opts.clock.setTimer(ms, wake), wake };
      if (this.reconcileReason === null) for (const idle of this.idleWaiters.splice(0)) idle();
    });
  }
}
