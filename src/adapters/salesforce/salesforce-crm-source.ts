// CrmSource over the Salesforce REST API with jsforce: one SOQL query for the managed contacts, paged by
// nextRecordsUrl with an explicit batch size, parsed at the edge and classified into the error registry.
import type { Connection } from 'jsforce';
import type { SalesforceAuth } from '../../config/config-schema.ts';
import type { ContactFacts, ContactQuery } from '../../domain/crm.ts';
import type { AccessCheck } from '../../ports/access-check.ts';
import type { CrmSource } from '../../ports/crm-source.ts';
import { mapContactRow, queryPageSchema, type QueryPage } from './contact-mapping.ts';
import { buildContactSoql, buildScopeCountSoql, neededFields } from './contact-soql.ts';
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

const describeSchema = z.object({ fields: z.array(z.looseObject({ name: z.string() })) });
const versionsSchema = z.array(z.looseObject({ version: z.string() }));

export class SalesforceCrmSource implements CrmSource {
  private conn: Promise<Connection> | null = null;

  constructor(private readonly opts: SalesforceCrmSourceOptions) {}

  async fetchContacts(
    query: ContactQuery,
    onProgress?: (fetched: number, total: number) => void,
  ): Promise<ContactFacts[]> {
    const soql = buildContactSoql(query);
    const conn = await this.connection();
    const out: ContactFacts[] = [];
    let url: string | undefined = `${this.dataPath()}/query?q=${encodeURIComponent(soql)}`;
    let page = 0;
    while (url) {
      page += 1;
      const call = page === 1 ? 'query for Contacts in scope' : `query for Contacts in scope (page ${page})`;
      const data: QueryPage = await this.get(conn, url, call, queryPageSchema);
      for (const row of data.records) out.push(mapContactRow(row, query));
      onProgress?.(out.length, data.totalSize);
      url = data.done ? undefined : data.nextRecordsUrl;
      if (!data.done && !url) {
        throw new RosterError(
          'ROSTER_SALESFORCE_UNAVAILABLE',
          `Salesforce ${call} answered done=false without nextRecordsUrl.`,
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
        const have = new Set(d.fields.map((f) => f.name.toLowerCase()));
        const missing = fields.filter((f) => !have.has(f.toLowerCase()));
        return missing.length === 0
          ? { ok: true, detail: fields.join(', ') }
          : { ok: false, detail: `missing or not visible to the integration user: ${missing.join(', ')}` };
      });
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
      this.conn = openConnection(this.opts).catch((e: unknown) => {
        this.conn = null;
        throw classifySalesforceError(e, `login (${flow} at ${this.opts.loginUrl})`, this.secrets());
      });
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

function messageOf(e: unknown): string {
  return e instanceof RosterError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}
