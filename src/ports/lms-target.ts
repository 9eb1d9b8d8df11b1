import type { LmsChange, LmsUser, LmsWriteOutcome } from '../domain/lms.ts';
import type { AccessCheck } from './access-check.ts';

/** The learning platform (Docebo): list users, and write access changes in batches. Never deletes. */
export interface LmsTarget {
  listUsers(onProgress?: (fetched: number, total: number | null) => void): Promise<LmsUser[]>;
  /**
   * Writes one batch in one call (the caller sizes it: executor/write-batches.ts) and returns one
   * outcome per change; per-user failures come back as data. Throws when the call failed as a whole
   * (authentication, the platform unavailable after retries). Batch calls never overlap.
   */
  writeBatch(changes: LmsChange[]): Promise<LmsWriteOutcome[]>;
  checkAccess(): Promise<AccessCheck[]>;
}
