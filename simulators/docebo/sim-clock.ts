// The simulator's clock: a base clock (real or injected) plus an offset the admin surface can move.

const DAY_MS = 86_400_000;

export class SimClock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date = () => new Date()) {}

  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }

  nowMs(): number {
    return this.now().getTime();
  }

  /** The platform's calendar day, `YYYY-MM-DD` in UTC (Docebo's timezone for expiry is not documented). */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** `YYYY-MM-DD HH:MM:SS`, the format Docebo uses for date-times. */
  dateTime(): string {
    return this.now().toISOString().slice(0, 19).replace('T', ' ');
  }

  set(to: Date): void {
    this.offsetMs = to.getTime() - this.base().getTime();
  }

  advanceDays(days: number): void {
    this.offsetMs += days * DAY_MS;
  }
}
