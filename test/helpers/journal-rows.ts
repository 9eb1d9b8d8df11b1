// The journal straight from a SQLite store file, read-only, the way an auditor would look at it.
import Database from 'better-sqlite3';

export interface JournalRow {
  username: string;
  outcome: string;
  error: string | null;
  run_id: string;
}

export function readJournal(dbFile: string): JournalRow[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare('SELECT username, outcome, error, run_id FROM journal ORDER BY id')
      .all() as JournalRow[];
  } finally {
    db.close();
  }
}
