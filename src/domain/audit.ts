// The tamper-evident audit log: every journal write, approval or undo becomes a record whose hash
// covers the one before it, so editing or deleting any record (or a journal row it describes) shows.
// Hashing is computation, not I/O, so it lives here with the rules that check the chain.
import { createHash } from 'node:crypto';
import type { JournalEntry, JournalSettlement } from './journal.ts';

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
export const MAX_PROBLEMS = 100;

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

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

interface SettlePayload {
  runId: string;
  itemKey: string;
  outcome: JournalEntry['outcome'];
  error: JournalEntry['error'];
  at: string;
  journalIds: number[];
}

/**
 * Walks the chain in seq order, recomputing each hash and replaying journal and settle records into
 * the state each journal row must have now. Feed pages in seq order, then call `finish`.
 */
export class AuditVerifier {
  private prev: AuditHead | null = null;
  private checked = 0;
  private readonly problems: AuditProblem[] = [];
  /** Journal id → the state the audit log describes, and the last record that described it. */
  private readonly described = new Map<number, { entry: JournalEntry; seq: number }>();

  add(records: readonly AuditRecord[]): void {
    for (const r of records) this.check(r);
  }

  private report(problem: AuditProblem): void {
    this.problems.push(problem);
  }

  private check(r: AuditRecord): void {
    this.checked += 1;
    const expectedSeq = (this.prev?.seq ?? 0) + 1;
    const expectedPrev = this.prev?.hash ?? GENESIS_HASH;
    if (r.seq !== expectedSeq) {
      this.report({
        seq: r.seq,
        journalId: null,
        reason:
          r.seq > expectedSeq
            ? `audit record${r.seq - expectedSeq > 1 ? `s ${expectedSeq}–${r.seq - 1} are` : ` ${expectedSeq} is`} missing (deleted) before seq ${r.seq}`
            : `audit seq ${r.seq} is out of order (expected ${expectedSeq})`,
      });
    } else if (r.prevHash !== expectedPrev) {
      this.report({
        seq: r.seq,
        journalId: null,
        reason: `prev_hash of seq ${r.seq} does not match the hash of seq ${expectedSeq - 1}`,
      });
    }
    const recomputed = auditHash(r.prevHash, r);
    if (recomputed !== r.hash) {
      this.report({
        seq: r.seq,
        journalId: null,
        reason: `audit record ${r.seq} (${r.kind} ${r.ref}) was edited: its hash does not match its content`,
      });
    }
    this.prev = { seq: r.seq, hash: r.hash };
    if (r.kind === 'journal') this.replayJournal(r);
    else if (r.kind === 'settle') this.replaySettle(r);
  }

  private replayJournal(r: AuditRecord): void {
    const entry = r.payload as JournalEntry;
    if (this.described.has(entry.id)) {
      this.report({
        seq: r.seq,
        journalId: entry.id,
        reason: `journal row ${entry.id} is recorded as appended twice`,
      });
      return;
    }
    this.described.set(entry.id, { entry, seq: r.seq });
  }

  private replaySettle(r: AuditRecord): void {
    const s = r.payload as SettlePayload;
    for (const id of s.journalIds ?? []) {
      const known = this.described.get(id);
      if (!known) {
        this.report({
          seq: r.seq,
          journalId: id,
          reason: `settles journal row ${id}, which was never appended`,
        });
        continue;
      }
      // The store settles only pending rows, so a later settlement of the same row changes nothing.
      if (known.entry.outcome !== 'pending') continue;
      this.described.set(id, {
        entry: { ...known.entry, outcome: s.outcome, error: s.error, at: s.at },
        seq: r.seq,
      });
    }
  }

  /** Compares the journal as it is with what the log describes, and the log's end with its anchor. */
  finish(journal: readonly JournalEntry[], head: AuditHead | null): AuditVerification {
    const tail = this.prev;
    if (head === null && tail !== null) {
      this.report({ seq: tail.seq, journalId: null, reason: 'the audit head (anchor) is missing' });
    } else if (head !== null && (tail === null || head.seq > tail.seq)) {
      this.report({
        seq: (tail?.seq ?? 0) + 1,
        journalId: null,
        reason: `audit records ${(tail?.seq ?? 0) + 1}–${head.seq} are missing (deleted from the end)`,
      });
    } else if (head !== null && tail !== null && (head.seq !== tail.seq || head.hash !== tail.hash)) {
      this.report({
        seq: tail.seq,
        journalId: null,
        reason: `the last audit record (seq ${tail.seq}) does not match the audit head (seq ${head.seq})`,
      });
    }

    const seen = new Set<number>();
    for (const row of journal) {
      seen.add(row.id);
      const known = this.described.get(row.id);
      if (!known) {
        this.report({
          seq: 0,
          journalId: row.id,
          reason: `journal row ${row.id} has no audit record: it was written outside Roster`,
        });
        continue;
      }
      const diff = differences(known.entry, row);
      if (diff.length > 0)
        this.report({
          seq: known.seq,
          journalId: row.id,
          reason: `journal row ${row.id} differs from audit seq ${known.seq}: ${diff.join('; ')}`,
        });
    }
    for (const [id, known] of this.described) {
      if (!seen.has(id))
        this.report({
          seq: known.seq,
          journalId: id,
          reason: `journal row ${id} (audit seq ${known.seq}) was deleted`,
        });
    }

    // A row no record describes (seq 0) comes last: a broken chain before it usually explains it.
    const order = (p: AuditProblem) => (p.seq === 0 ? Number.MAX_SAFE_INTEGER : p.seq);
    const problems = [...this.problems]
      .sort((a, b) => order(a) - order(b) || (a.journalId ?? 0) - (b.journalId ?? 0))
      .slice(0, MAX_PROBLEMS);
    return {
      ok: problems.length === 0,
      checked: this.checked,
      journalRows: journal.length,
      firstBroken: problems[0] ?? null,
      problems,
    };
  }
}

// Journal columns added after the audit log: records written before them hold no value, and the
// migration that added the column gave every existing row this default.
const ADDED_LATER: Readonly<Record<string, unknown>> = { action: 'retire' };

/** `field: audit X, row Y` for each field that differs (every field of either side but the id). */
export function differences(expected: JournalEntry, actual: JournalEntry): string[] {
  const a = expected as unknown as Record<string, unknown>;
  const b = actual as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => f !== 'id');
  const out: string[] = [];
  for (const f of fields) {
    const want = canonicalJson(a[f] === undefined && f in ADDED_LATER ? ADDED_LATER[f] : (a[f] ?? null));
    const got = canonicalJson(b[f] ?? null);
    if (want !== got) out.push(`${f}: audit ${want}, row ${got}`);
  }
  return out;
}
