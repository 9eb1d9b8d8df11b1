// The tamper-evident audit log: every journal write, approval or undo becomes a record whose hash
// covers the one before it, so editing or deleting any record (or a journal row it describes) shows.
// Hashing is computation, not I/O, so it lives here in the domain, as does checking the chain
// (audit-verifier.ts).
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { JournalEntry, JournalSettlement } from './journal.ts';

// Callers that compare values in the form the chain hashes have always imported it from here.
export { canonicalJson } from './canonical-json.ts';

/** Kinds Roster writes itself; other features add their own (e.g. 'approval', 'rejection', 'undo', 'drift'). */
export type AuditKind = 'journal' | 'settle' | (string & {});

export interface NewAuditRecord {
  kind: AuditKind;
  /** What the record is about, e.g. `journal:42`, `plan:abc`, `account:001…`. */
  ref: string;
  payload: unknown;
}

export interface AuditRecord extends NewAuditRecord {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditProblem {
  /** The audit record where the chain or the journal stops matching; 0 when no record describes it. */
  seq: number;
  /** The journal row concerned, when there is one. */
  journalId: number | null;
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Audit records checked. */
  checked: number;
  /** Journal rows compared with what the audit log says about them. */
  journalRows: number;
  firstBroken: AuditProblem | null;
  /** Every problem found (at most MAX_PROBLEMS), in the order of their seq. */
  problems: AuditProblem[];
}

/** The chain's anchor, kept next to the log so that cutting records off its end shows too. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function auditHash(
  prevHash: string,
  record: { seq: number; at: string; kind: string; ref: string; payload: unknown },
): string {
  const { seq, at, kind, ref, payload } = record;
  return sha256Hex(prevHash + canonicalJson({ seq, at, kind, ref, payload }));
}

/** Links new records onto the chain after `head` (null for an empty log). */
export function chainRecords(
  head: AuditHead | null,
  records: readonly NewAuditRecord[],
  at: string,
): AuditRecord[] {
  let prevHash = head?.hash ?? GENESIS_HASH;
  let seq = head?.seq ?? 0;
  return records.map((r) => {
    seq += 1;
    const payload = JSON.parse(canonicalJson(r.payload ?? null)) as unknown;
    const hash = auditHash(prevHash, { seq, at, kind: r.kind, ref: r.ref, payload });
    const record: AuditRecord = { seq, at, kind: r.kind, ref: r.ref, payload, prevHash, hash };
    prevHash = hash;
    return record;
  });
}

export const journalRef = (id: number): string => `journal:${id}`;

export const journalAuditRecord = (entry: JournalEntry): NewAuditRecord => ({
  kind: 'journal',
  ref: journalRef(entry.id),
  payload: entry,
});

/** The settle record for one settlement, naming the journal rows it settled. */
export const settleAuditRecord = (s: JournalSettlement, journalIds: number[]): NewAuditRecord => ({
  kind: 'settle',
  ref: journalIds.map(journalRef).join(','),
  payload: {
    runId: s.runId,
    itemKey: s.itemKey,
    outcome: s.outcome,
    error: s.error,
    at: s.at,
    journalIds,
  },
});

/** The journal rows a 'journal' or 'settle' record describes (none for other kinds). */
export function journalIdsOf(record: AuditRecord): number[] {
  const p = record.payload as { id?: unknown; journalIds?: unknown } | null;
  if (record.kind === 'journal' && typeof p?.id === 'number') return [p.id];
  if (record.kind === 'settle' && Array.isArray(p?.journalIds))
    return p.journalIds.filter((id): id is number => typeof id === 'number');
  return [];
}

/** For each journal row, the last record that describes its current state (the hash an export cites). */
export function latestRecordByJournalId(
  records: readonly AuditRecord[],
): Map<number, { seq: number; hash: string }> {
  const out = new Map<number, { seq: number; hash: string }>();
  for (const r of records) for (const id of journalIdsOf(r)) out.set(id, { seq: r.seq, hash: r.hash });
  return out;
}
