// Which instance of `roster serve` works: the one holding the writer lease is active; the others stand
// by and try for it every `pollMs`. Role changes happen one at a time (taking over and stepping down
// never interleave); the service says what starting and stopping work means.
import type { Clock, Timer } from '../../ports/clock.ts';
import type { Lease } from '../../ports/lease-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { describeHolder, type WriterLease } from '../writer-lease.ts';

export type ServiceRole = 'starting' | 'active' | 'standby' | 'stopped';

export interface LeadershipOptions {
  lease: WriterLease;
  clock: Clock;
  log: Logger;
  telemetry: Telemetry;
  /** How often a standby tries for the lease. */
  pollMs: number;
  /** Holding the lease now: start the feeds, the worker and the schedule. */
  startWork(tookOver: boolean): Promise<void>;
  /** Stop them, letting the batch in flight finish. */
  stopWork(): Promise<void>;
}

export class Leadership {
  private current: ServiceRole = 'starting';
  private holderSeen: Lease | null = null;
  private timer: Timer | null = null;
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LeadershipOptions) {}

  get role(): ServiceRole {
    return this.current;
  }

  /** Who holds the writer lease, as last seen (this instance when active). */
  get holder(): Lease | null {
    return this.holderSeen;
  }

  /** Becomes active if the lease is free, otherwise stands by. */
  start(): Promise<void> {
    return this.change(() => this.tryToLead());
  }

  /** Stops the work (when active) and hands the lease over at once. */
  stop(): Promise<void> {
    return this.change(async () => {
      this.timer?.cancel();
      if (this.current === 'active') await this.opts.stopWork();
      this.current = 'stopped';
      await this.opts.lease.release();
    });
  }

  /** The lease was lost (the store did not answer in time, or another instance took it): stand by. */
  lost(): void {
    void this.change(async () => {
      if (this.current !== 'active') return;
      this.opts.log.error('the writer lease was lost: stopping work and standing by', {});
      await this.opts.stopWork();
      this.current = 'starting';
      await this.tryToLead();
    });
  }

  private change(step: () => Promise<void>): Promise<void> {
    this.transition = this.transition.then(step, step);
    return this.transition;
  }

  private async tryToLead(): Promise<void> {
    if (this.current === 'stopped' || this.current === 'active') return;
    try {
      this.holderSeen = await this.opts.lease.tryAcquire();
    } catch (e) {
      this.opts.log.warn('the writer lease could not be read; trying again', { error: String(e) });
    }
    if (this.opts.lease.held) {
      const tookOver = this.current === 'standby';
      this.current = 'active';
      this.opts.telemetry.gauge('roster_active', 1);
      this.opts.log.info(tookOver ? 'taking over: this instance now holds the writer lease' : 'active', {
        writer: this.opts.lease.claimant.id,
      });
      return this.opts.startWork(tookOver);
    }
    if (this.current !== 'standby')
      this.opts.log.info('standing by: another instance holds the writer lease', {
        active: this.holderSeen && describeHolder(this.holderSeen),
      });
    this.current = 'standby';
    this.opts.telemetry.gauge('roster_active', 0);
    this.timer = this.opts.clock.setTimer(this.opts.pollMs, () => void this.change(() => this.tryToLead()));
  }
}
