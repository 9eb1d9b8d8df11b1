// One writer at a time: whoever writes to Docebo holds the `docebo-writer` lease in the store, renews it
// while it works (a third of its time, on the Clock), and checks it before every batch (the fence). A
// holder that crashed stops renewing, so its lease runs out and another process may take over; a clean
// stop releases it at once. `roster serve` (the active instance) and the CLI's writing commands use it.
import { RosterError } from '../domain/errors.ts';
import type { Clock, Timer } from '../ports/clock.ts';
import type { Lease, LeaseClaimant, LeaseStore } from '../ports/lease-store.ts';
import { silentLogger, type Logger } from '../ports/logger.ts';

export const WRITER_LEASE = 'docebo-writer';

export interface WriterLeaseOptions {
  leases: LeaseStore;
  clock: Clock;
  claimant: LeaseClaimant;
  /** How long the lease lasts without renewal: how soon another process may take over after a crash. */
  ttlMs: number;
  log?: Logger;
  /** Told once when the lease is lost while held (not on release). */
  onLost?: () => void;
}

export interface WaitOptions {
  /** Wait for the holder to finish (or its lease to run out) instead of refusing. */
  wait: boolean;
  /** Told while waiting, about once a second, who holds it. */
  onWaiting?: (holder: Lease) => void;
}

/** "roster serve on host-1 (pid 4711), holding it since 2026-12-02T09:00:00.000Z" */
export const describeHolder = (l: Lease): string =>
  `roster ${l.role} on ${l.host} (pid ${l.pid}), holding it since ${l.acquiredAt}`;

export class WriterLease {
  private heldUntil: number | null = null;
  private renewal: Timer | null = null;
  private readonly log: Logger;

  constructor(private readonly opts: WriterLeaseOptions) {
    this.log = opts.log ?? silentLogger;
  }

  get held(): boolean {
    return this.heldUntil !== null && this.opts.clock.now().getTime() < this.heldUntil;
  }

  get claimant(): LeaseClaimant {
    return this.opts.claimant;
  }

  holder(): Promise<Lease | null> {
    return this.opts.leases.get(WRITER_LEASE);
  }

  /** Takes the lease if it is free (or ours); returns who holds it now. Starts renewing when ours. */
  async tryAcquire(): Promise<Lease> {
    const now = this.opts.clock.now();
    const { acquired, lease } = await this.opts.leases.acquire(
      WRITER_LEASE,
      this.opts.claimant,
      now.toISOString(),
      this.opts.ttlMs,
    );
    if (acquired) {
      this.heldUntil = now.getTime() + this.opts.ttlMs;
      this.armRenewal();
    }
    return lease;
  }

  /** Holds the lease, waiting for it when asked to; otherwise refuses with ROSTER_WRITER_BUSY. */
  async acquireOrWait(options: WaitOptions): Promise<void> {
    for (;;) {
      const lease = await this.tryAcquire();
      if (this.held) return;
      if (!options.wait)
        throw new RosterError(
          'ROSTER_WRITER_BUSY',
          `Another Roster process is writing to Docebo: ${describeHolder(lease)}, until at least ${lease.expiresAt}. Nothing was written.`,
          { details: { holder: lease } },
        );
      options.onWaiting?.(lease);
      await new Promise<void>((resolve) => this.opts.clock.setTimer(1000, resolve));
    }
  }

  /**
   * Before every write: passes while the lease is surely ours; once its time ran out without a renewal
   * (a frozen process, a store that did not answer), renews it first; throws when it is not ours any
   * more, so nothing further goes to Docebo.
   */
  async fence(): Promise<void> {
    if (this.held) return;
    if (this.heldUntil !== null) await this.renew();
    if (!this.held)
      throw new RosterError(
        'ROSTER_WRITER_LOST',
        'This process no longer holds the writer lease; it stopped before writing to Docebo.',
      );
  }

  async release(): Promise<void> {
    this.renewal?.cancel();
    this.renewal = null;
    if (this.heldUntil === null) return;
    this.heldUntil = null;
    await this.opts.leases.release(WRITER_LEASE, this.opts.claimant.id);
  }

  private armRenewal(): void {
    this.renewal?.cancel();
    this.renewal = this.opts.clock.setTimer(
      Math.max(1, Math.floor(this.opts.ttlMs / 3)),
      () => void this.renew(),
    );
  }

  private async renew(): Promise<void> {
    if (this.heldUntil === null) return;
    const now = this.opts.clock.now();
    let renewed: boolean;
    try {
      renewed = await this.opts.leases.renew(
        WRITER_LEASE,
        this.opts.claimant.id,
        now.toISOString(),
        this.opts.ttlMs,
      );
    } catch (e) {
      // The store did not answer: keep what is left of the lease and try again; the fence stops writes
      // once it has run out.
      this.log.warn('renewing the writer lease failed; retrying', { error: String(e) });
      if (this.held) this.armRenewal();
      else this.lost();
      return;
    }
    if (this.heldUntil === null) return;
    if (!renewed) return this.lost();
    this.heldUntil = now.getTime() + this.opts.ttlMs;
    this.armRenewal();
  }

  private lost(): void {
    this.heldUntil = null;
    this.renewal?.cancel();
    this.renewal = null;
    this.log.error('the writer lease was lost; this process stops writing to Docebo', {
      holder: this.opts.claimant.id,
    });
    this.opts.onLost?.();
  }
}
