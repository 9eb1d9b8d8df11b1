// Named leases in the store: one holder at a time, for a limited time, renewed while it works. Taken
// and renewed by conditional writes, so of two processes asking at once exactly one gets it; a crashed
// holder's lease simply runs out.

/** Who asks for a lease. `id` is unique per process run; the rest is for people reading it. */
export interface LeaseClaimant {
  id: string;
  host: string;
  pid: number;
  /** What the holder is doing with it: `serve`, `apply`, `undo`… */
  role: string;
}

export interface Lease extends LeaseClaimant {
  name: string;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
}

export interface LeaseStore {
  /**
   * Takes `name` for `ttlMs` from `now` if it is free, expired or already ours (then it is renewed, and
   * keeps its `acquiredAt`). Returns the lease as it stands afterwards: ours when `acquired`.
   */
  acquire(
    name: string,
    claimant: LeaseClaimant,
    now: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; lease: Lease }>;
  /** Extends our lease; false when it is no longer ours (it ran out and someone else took it). */
  renew(name: string, holderId: string, now: string, ttlMs: number): Promise<boolean>;
  /** Gives it up at once (a clean stop hands over without waiting for it to run out). */
  release(name: string, holderId: string): Promise<void>;
  get(name: string): Promise<Lease | null>;
}
