// Docebo enforces its hourly API limit with a leaky bucket (DataGrail; 429 since June 2025): each call
// pours one unit in, the bucket drains at callsPerHour per hour, and a call that would overflow is refused.

export class LeakyBucket {
  private level = 0;
  private lastMs: number | null = null;

  /** callsPerHour 0 = unlimited. */
  constructor(private readonly callsPerHour: number) {}

  private drain(nowMs: number): void {
    if (this.lastMs !== null) {
      const leaked = ((nowMs - this.lastMs) / 3_600_000) * this.callsPerHour;
      this.level = Math.max(0, this.level - leaked);
    }
    this.lastMs = nowMs;
  }

  /** Takes one unit if it fits; otherwise returns the seconds until one would fit. */
  take(nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.callsPerHour <= 0) return { ok: true };
    this.drain(nowMs);
    // A small tolerance keeps a client that spaces calls exactly at the drain rate from being refused.
    if (this.level + 1 <= this.callsPerHour + 1e-6) {
      this.level += 1;
      return { ok: true };
    }
    const overflow = this.level + 1 - this.callsPerHour;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((overflow / this.callsPerHour) * 3600)) };
  }
}
