// Checking the audit log: walks the chain recomputing every hash, replays the journal and settle
// records into the state each journal row must have now, and compares that with the journal as it is
// and the chain's end with its anchor. Pure: the store feeds it pages of records and the journal.
import { canonicalJson } from './canonical-json.ts';
import {
  auditHash,
  GENESIS_HASH,
  type AuditHead,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
} from './audit.ts';
import type { JournalEntry } from './journal.ts';

export const MAX_PROBLEMS = 100;

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
