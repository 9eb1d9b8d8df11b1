import type { LmsChange, LmsUser, LmsWriteOutcome } from '../domain/lms.ts';
import type { AccessCheck } from './access-check.ts';

/** The learning platform (Docebo): list users, and write access changes in batches. Never deletes. */
export interface LmsTarget {
  listUsers(onProgress?: (fetched: number, total: number | null) => void): Promise<LmsUser[]>;
  /**
   * Applies every change, in the fewest calls the platform allows. Per-user failures come back as data;
   * it throws only when nothing could be attempted (e.g. authentication failed).
   */
  applyChanges(
    changes: LmsChange[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<LmsWriteOutcome[]>;
  checkAccess(): Promise<AccessCheck[]>;
}
