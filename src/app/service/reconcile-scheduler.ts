// When the next scheduled full reconciliation is due (cron, in a timezone): arms one timer on the Clock
// at a time and asks the worker loop for a reconciliation when it fires.
import type { Clock, Timer } from '../../ports/clock.ts';
import type { Schedule } from '../../ports/schedule.ts';

export class ReconcileScheduler {
  private timer: Timer | null = null;
  private next: Date | null = null;
  private stopped = false;

  constructor(
    private readonly opts: { clock: Clock; schedule: Schedule | null; request(reason: string): void },
  ) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  get nextAt(): Date | null {
    return this.next;
  }

  private arm(): void {
    const { schedule, clock } = this.opts;
    if (!schedule || this.stopped) return;
    const now = clock.now();
    const due = schedule.next(now);
    this.next = due;
    this.timer = clock.setTimer(due.getTime() - now.getTime(), () => {
      if (clock.now() >= due) this.opts.request('schedule');
      this.arm();
    });
  }
}
