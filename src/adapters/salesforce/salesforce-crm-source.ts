// CrmSource over the Salesforce REST API with jsforce: one SOQL query for the managed contacts, paged by
// nextRecordsUrl with an explicit batch size, parsed at the edge and classified into the error registry.
import type { Connection } from 'jsforce';
import type { SalesforceAuth } from '../../config/config-schema.ts';
import type { ContactFacts, ContactFilter, ContactQuery, RecordChange } from '../../domain/crm.ts';
import type { AccessCheck } from '../../ports/access-check.ts';
import type { CrmSource } from '../../ports/crm-source.ts';
import { mapContactRow, queryPageSchema, type QueryPage } from './contact-mapping.ts';
import { buildChangesSoql, buildContactSoql, buildScopeCountSoql, neededFields } from './contact-soql.ts';
import { classifySalesforceError } from './salesforce-errors.ts';
import { openConnection } from './salesforce-connection.ts';
import { RosterError } from '../../domain/errors.ts';
import { z } from 'zod';

export interface SalesforceCrmSourceOptions {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
  /** Rows per page, 200–2000 (Sforce-Query-Options). */
  batchSize: number;
  /** jsforce's retry of idempotent calls on 5xx/420/429 and network errors. */
  retry?: { maxRetries?: number; minTimeout?: number };
}

const describeSchema = z.object({
  fields: z.array(z.looseObject({ name: z.string(), type: z.string().optional() })),
});
type Described = z.infer<typeof describeSchema>['fields'];
// Describe's `type` for Date and DateTime fields; a retireOn field of any other type is refused.
const DATE_TYPES = ['date', 'datetime'];
const versionsSchema = z.array(z.looseObject({ version: z.string() }));
const changeRowSchema = z.looseObject({ Id: z.string(), SystemModstamp: z.string(), IsDeleted: z.boolean() });
const IDS_PER_QUERY = 200;

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export class SalesforceCrmSource implements CrmSource {
  private conn: Promise<Connection> | null = null;
  private lastConnection: Connection | null = null;

  constructor(private readonly opts: SalesforceCrmSourceOptions) {}

  async fetchContacts(
    query: ContactQuery,
    onProgress?: (fetched: number, total: number) => void,
    filter?: ContactFilter,
  ): Promise<ContactFacts[]> {
    if (!filter) {
      const rows = await this.queryAll(
        'query',
        buildContactSoql(query),
        'query for Contacts in scope',
        onProgress,
      );
      return rows.map((row) => mapContactRow(row, query));
    }
    // Id lists are split so that each query stays well inside SOQL's and the URL's length limits.
    const out = new Map<string, ContactFacts>();
    const parts = [
      ...chunk(filter.contactIds, IDS_PER_QUERY).map((ids) => ({ contactIds: ids, accountIds: [] })),
      ...chunk(filter.accountIds, IDS_PER_QUERY).map((ids) => ({ contactIds: [], accountIds: ids })),
    ];
    for (const part of parts) {
      const rows = await this.queryAll('query', buildContactSoql(query, part), 'query for changed Contacts');
      for (const row of rows) {
        const c = mapContactRow(row, query);
        out.set(c.id, c);
      }
    }
    return [...out.values()];
  }

  async changedSince(object: 'Account' | 'Contact', since: string): Promise<RecordChange[]> {
    const rows = await this.queryAll(
      'queryAll',
      buildChangesSoql(object, since),
      `poll for changed ${object}s`,
    );
    return rows.map((row) => {
      const r = changeRowSchema.parse(row);
      return {
        id: r.Id,
        systemModstamp: new Date(r.SystemModstamp.replace(/\+0000$/, 'Z')).toISOString(),
        deleted: r.IsDeleted,
      };
    });
  }

  apiUsage(): { used: number; max: number } | null {
    const usage = this.lastConnection?.limitInfo?.apiUsage;
    return usage ? { used: usage.used, max: usage.limit } : null;
  }

  private async queryAll(
    resource: 'query' | 'queryAll',
    soql: string,
    call: string,
    onProgress?: (fetched: number, total: number) => void,
  ): Promise<QueryPage['records']> {
    const conn = await this.connection();
    const out: QueryPage['records'] = [];
    let url: string | undefined = `${this.dataPath()}/${resource}?q=${encodeURIComponent(soql)}`;
    let page = 0;
    while (url) {
      page += 1;
      const name = page === 1 ? call : `${call} (page ${page})`;
      const data: QueryPage = await this.get(conn, url, name, queryPageSchema);
      out.push(...data.records);
      onProgress?.(out.length, data.totalSize);
      url = data.done ? undefined : data.nextRecordsUrl;
      if (!data.done && !url) {
        throw new RosterError(
          'ROSTER_SALESFORCE_UNAVAILABLE',
          `Salesforce ${name} answered done=false without nextRecordsUrl.`,
        );
      }
    }
    return out;
  }

  async checkAccess(query: ContactQuery): Promise<AccessCheck[]> {
    const checks: AccessCheck[] = [];
    const flow = this.opts.auth.flow === 'jwt' ? 'JWT bearer' : 'client credentials';
    let conn: Connection;
    try {
      conn = await this.connection();
      checks.push({
        name: 'Salesforce login',
        ok: true,
        detail: `${flow} as ${this.opts.auth.clientId} at ${this.opts.loginUrl}`,
      });
    } catch (e) {
      checks.push({ name: 'Salesforce login', ok: false, detail: messageOf(e) });
      return checks;
    }
    const version = this.opts.apiVersion;
    await this.check(checks, `Salesforce API version ${version}`, async () => {
      const versions = await this.get(conn, '/services/data/', 'list of API versions', versionsSchema);
      const ok = versions.some((v) => v.version === version);
      const newest = versions.at(-1)?.version ?? '?';
      return {
        ok,
        detail: ok
          ? `available (newest ${newest})`
          : `not offered by this org (newest ${newest}); set salesforce.apiVersion`,
      };
    });
    const needed = neededFields(query);
    const described = new Map<'Contact' | 'Account', Described>();
    for (const [object, fields] of [
      ['Contact', needed.contact],
      ['Account', needed.account],
    ] as const) {
      await this.check(checks, `Salesforce ${object} fields readable`, async () => {
        const d = await this.get(
          conn,
          `${this.dataPath()}/sobjects/${object}/describe`,
          `describe ${object}`,
          describeSchema,
        );
        described.set(object, d.fields);
        const have = new Set(d.fields.map((f) => f.name.toLowerCase()));
        const missing = fields.filter((f) => !have.has(f.toLowerCase()));
        return missing.length === 0
          ? { ok: true, detail: fields.join(', ') }
          : { ok: false, detail: `missing or not visible to the integration user: ${missing.join(', ')}` };
      });
    }
    const dates = query.dateFields ?? [];
    if (dates.length > 0 && described.size === 2) {
      await this.check(checks, 'Salesforce retireOn fields are dates', async () =>
        dateFieldVerdict(dates, described),
      );
    }
    await this.check(checks, 'Salesforce scope query', async () => {
      const url = `${this.dataPath()}/query?q=${encodeURIComponent(buildScopeCountSoql(query))}`;
      const data = await this.get(conn, url, 'count of Contacts in scope', queryPageSchema);
      return { ok: true, detail: `${data.totalSize} contacts match "${query.scope}"` };
    });
    return checks;
  }

  private async check(
    checks: AccessCheck[],
    name: string,
    run: () => Promise<{ ok: boolean; detail: string }>,
  ) {
    try {
      checks.push({ name, ...(await run()) });
    } catch (e) {
      checks.push({ name, ok: false, detail: messageOf(e) });
    }
  }

  private dataPath(): string {
    return `/services/data/v${this.opts.apiVersion}`;
  }

  private secrets(): (string | null | undefined)[] {
    const a = this.opts.auth;
    return a.flow === 'client_credentials' ? [a.clientSecret] : [a.privateKey];
  }

  private connection(): Promise<Connection> {
    if (!this.conn) {
      const flow = this.opts.auth.flow === 'jwt' ? 'JWT bearer' : 'client credentials';
      this.conn = openConnection(this.opts).then(
        (conn) => (this.lastConnection = conn),
        (e: unknown) => {
          this.conn = null;
          throw classifySalesforceError(e, `login (${flow} at ${this.opts.loginUrl})`, this.secrets());
        },
      );
    }
    return this.conn;
  }

  private async get<T>(conn: Connection, url: string, call: string, schema: z.ZodType<T>): Promise<T> {
    let body: unknown;
    try {
      body = await conn.request(
        { method: 'GET', url, headers: { 'Sforce-Query-Options': `batchSize=${this.opts.batchSize}` } },
        {
          retry: {
            maxRetries: this.opts.retry?.maxRetries ?? 3,
            minTimeout: this.opts.retry?.minTimeout ?? 500,
          },
        },
      );
    } catch (e) {
      throw classifySalesforceError(e, call, this.secrets());
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new RosterError(
        'ROSTER_SALESFORCE_UNAVAILABLE',
        `Salesforce ${call} answered with a body Roster cannot read: ${parsed.error.message.slice(0, 300)}`,
      );
    }
    return parsed.data;
  }
}

/** Each retireOn path's type from describe; a missing field is reported by "fields readable" already. */
function dateFieldVerdict(
  paths: string[],
  described: Map<'Contact' | 'Account', Described>,
): { ok: boolean; detail: string } {
  const found: string[] = [];
  const wrong: string[] = [];
  for (const path of paths) {
    const dot = path.indexOf('.');
    const object = dot < 0 ? 'Contact' : 'Account';
    const name = (dot < 0 ? path : path.slice(dot + 1)).toLowerCase();
    const field = described.get(object)?.find((f) => f.name.toLowerCase() === name);
    if (!field) continue;
    const type = field.type ?? 'unknown';
    if (DATE_TYPES.includes(type.toLowerCase())) found.push(`${path} (${type})`);
    else wrong.push(`${path} is of type ${type}`);
  }
  if (wrong.length > 0)
    return {
      ok: false,
      detail: `${wrong.join('; ')}: a rule's retireOn must name a date or datetime field (or be left empty)`,
    };
  return { ok: true, detail: found.join(', ') };
}

function messageOf(e: unknown): string {
  return e instanceof RosterError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}
