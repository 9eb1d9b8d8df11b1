/** Docebo calls made, persisted so the hourly budget survives a restart. */
export interface CallLog {
  record(target: 'docebo', at: string[]): Promise<void>;
  /** Instants of calls since `since`, oldest first. Older entries may be pruned. */
  recent(target: 'docebo', since: string): Promise<string[]>;
}
