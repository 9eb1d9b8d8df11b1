import type { AuditRecord, AuditVerification, NewAuditRecord } from '../domain/audit.ts';

export interface AuditQuery {
  /** Records at or after this instant. */
  since?: string;
  /** Records before this instant. */
  until?: string;
  /** Only these kinds. */
  kinds?: string[];
  limit?: number;
}

/**
 * The append-only, hash-chained audit log. The store appends a record for every journal write in the
 * same transaction; other features record their own events (approvals, undo, drift) with appendAudit.
 */
export interface AuditLog {
  /** Appends records atomically, in order, at the end of the chain. */
  append(records: NewAuditRecord[]): Promise<void>;
  /** Recomputes the chain and checks the journal against it. */
  verify(): Promise<AuditVerification>;
  /** Oldest first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
