/** When something recurring is due next (the reconciliation's cron schedule). */
export interface Schedule {
  /** The first due instant strictly after `after`. */
  next(after: Date): Date;
  readonly description: string;
}
