// Runs SOQL for the query/queryAll resources: evaluates once, keeps the projected rows behind a query
// locator, and serves them in pages of `batchSize` via nextRecordsUrl (/query/<locator>-<offset>).
import { KEY_PREFIX } from './salesforce-ids.ts';
import type { SalesforceState, SfRecord } from './salesforce-state.ts';
import { bindQuery, type BoundQuery } from './soql/bind-query.ts';
import { runWhereOrderLimit, type ParentLookup } from './soql/evaluate-query.ts';
import { parseSoql } from './soql/parse-soql.ts';
import { SfError } from './sf-errors.ts';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface Cursor {
  version: string;
  rows: Record<string, unknown>[];
  batchSize: number;
}

export const DEFAULT_BATCH = 2000;

/** `Sforce-Query-Options: batchSize=N`, clamped to 200–2000 as Salesforce does. */
export function batchSizeFrom(header: string | string[] | undefined): number | null {
  const text = Array.isArray(header) ? header.join(',') : header;
  const m = /batchSize\s*=\s*(\d+)/i.exec(text ?? '');
  if (!m) return null;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

export class QueryService {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly state: SalesforceState) {}

  /** Parses, binds and evaluates; throws SfError (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE). */
  select(soql: string, includeDeleted: boolean): { query: BoundQuery; rows: SfRecord[] } {
    const query = bindQuery(parseSoql(soql), this.state.schema);
    const candidates = this.state.all(query.type).filter((r) => includeDeleted || r.deletedAt === null);
    const rows = runWhereOrderLimit(query, candidates, this.parentLookup, this.state.clock.now());
    return { query, rows };
  }

  run(soql: string, opts: { includeDeleted: boolean; version: string; batchSize: number | null }): QueryPage {
    const { query, rows } = this.select(soql, opts.includeDeleted);
    if (query.count) return { totalSize: rows.length, done: true, records: [] };
    const projected = rows.map((r) => this.project(query, r, opts.version));
    const cursor: Cursor = {
      version: opts.version,
      rows: projected,
      batchSize: opts.batchSize ?? DEFAULT_BATCH,
    };
    const id = this.state.ids.next(KEY_PREFIX.QueryLocator);
    this.cursors.set(id, cursor);
    return this.page(id, cursor, 0, cursor.batchSize);
  }

  more(locator: string, batchSize: number | null): QueryPage {
    const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursor = m?.[1] ? this.cursors.get(m[1]) : undefined;
    if (!m?.[1] || !cursor) {
      throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return this.page(m[1], cursor, Number(m[2]), batchSize ?? cursor.batchSize);
  }

  private page(id: string, cursor: Cursor, offset: number, size: number): QueryPage {
    const records = cursor.rows.slice(offset, offset + size);
    const next = offset + records.length;
    const done = next >= cursor.rows.length;
    if (done) this.cursors.delete(id);
    return {
      totalSize: cursor.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${cursor.version}/query/${id}-${next}` }),
      records,
    };
  }

  private readonly parentLookup: ParentLookup = (child, via) => {
    if (!via?.referenceTo) return null;
    const id = child.values[via.name];
    return typeof id === 'string' ? (this.state.find(via.referenceTo, id) ?? null) : null;
  };

  /** A query row: `attributes`, the selected fields by canonical name, parents nested (or null). */
  private project(q: BoundQuery, rec: SfRecord, version: string): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: attributes(rec, version) };
    for (const f of q.fields) {
      if (f.via === null) {
        out[f.def.name] = rec.values[f.def.name] ?? null;
        continue;
      }
      const rel = f.via.relationshipName ?? f.via.name;
      const parent = this.parentLookup(rec, f.via);
      if (!parent) {
        out[rel] = null;
        continue;
      }
      const nested = (out[rel] ??= { attributes: attributes(parent, version) }) as Record<string, unknown>;
      nested[f.def.name] = parent.values[f.def.name] ?? null;
    }
    return out;
  }
}

export function attributes(rec: SfRecord, version: string) {
  return { type: rec.type, url: `/services/data/v${version}/sobjects/${rec.type}/${rec.id}` };
}
