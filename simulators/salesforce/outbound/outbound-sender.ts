// Salesforce's outbound-message queue, scaled down: every write to a configured object queues a
// notification; one message at a time (≤100 notifications, the records' values at send time) is POSTed
// until the endpoint answers HTTP 200 with <Ack>true</Ack>, with exponential backoff between tries
// (real Salesforce: up to 2 h; here base 200 ms, cap 5 s) and a drop after maxAge (24 h of the
// simulator's clock). Delivery is at least once; the faults make it twice, or newest-first.
import { request } from 'node:http';
import type { SalesforceState } from '../salesforce-state.ts';
import type { SObjectType } from '../schema.ts';
import { buildOutboundEnvelope, isAck, type EnvelopeNotification } from './outbound-envelope.ts';

export interface OutboundRetryOptions {
  /** First retry delay; doubles per failed attempt. Default 200 ms. */
  baseDelayMs?: number;
  /** Default 5,000 ms. */
  maxDelayMs?: number;
  /** Notifications older than this (simulator clock) are dropped. Default 24 h. */
  maxAgeMs?: number;
  /** Per delivery (Salesforce: 60 s). Default 10,000 ms. */
  timeoutMs?: number;
}

export interface OutboundConfig {
  url: string;
  objects: SObjectType[];
  /** Fields sent per object besides Id; every field when omitted. Canonical names. */
  fields: Partial<Record<SObjectType, string[]>>;
  /** The OrganizationId the messages carry. */
  organizationId: string;
}

export interface OutboundFaults {
  /** Send every message twice. */
  duplicate?: boolean;
  /** Take queued notifications newest-first. */
  reorder?: boolean;
  /** Wait this long before each delivery attempt (lets writes pile up into one message). */
  delayMs?: number;
}

export interface OutboundStats {
  enabled: boolean;
  queue: number;
  delivered: number;
  /** HTTP POSTs made, duplicates included. */
  attempts: number;
  dropped: number;
  lastError: string | null;
}

interface Pending {
  id: string;
  type: SObjectType;
  recordId: string;
  queuedAt: number;
}

const MAX_PER_MESSAGE = 100;
const NOTIFICATION_PREFIX = '04l';
const ACTION_PREFIX = '04k';

export class OutboundSender {
  private config: (OutboundConfig & { actionId: string }) | null = null;
  private faults: OutboundFaults = {};
  private queue: Pending[] = [];
  private readonly counts = { delivered: 0, attempts: 0, dropped: 0 };
  private lastError: string | null = null;
  private failures = 0;
  private loop: Promise<void> | null = null;
  private generation = 0;
  private stopped = false;
  private wait: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private inFlight: AbortController | null = null;
  private readonly retry: Required<OutboundRetryOptions>;

  constructor(
    private readonly state: SalesforceState,
    private readonly baseUrl: () => string,
    retry: OutboundRetryOptions = {},
  ) {
    this.retry = {
      baseDelayMs: retry.baseDelayMs ?? 200,
      maxDelayMs: retry.maxDelayMs ?? 5_000,
      maxAgeMs: retry.maxAgeMs ?? 24 * 3_600_000,
      timeoutMs: retry.timeoutMs ?? 10_000,
    };
  }

  /** (Re)configures the sender; the queue starts empty, as for a newly activated outbound message. */
  configure(config: OutboundConfig, retry: OutboundRetryOptions = {}): void {
    this.halt();
    Object.assign(this.retry, definedOnly(retry));
    this.config = { ...config, actionId: this.state.ids.next(ACTION_PREFIX) };
    this.counts.delivered = this.counts.attempts = this.counts.dropped = 0;
    this.lastError = null;
  }

  disable(): void {
    this.halt();
    this.config = null;
  }

  setFaults(faults: OutboundFaults): void {
    this.faults = { ...this.faults, ...faults };
  }

  clearFaults(): void {
    this.faults = {};
  }

  /** A write to a record happened; queued only when its object is configured. */
  notify(type: SObjectType, recordId: string): void {
    if (!this.config || this.stopped || !this.config.objects.includes(type)) return;
    const rec = this.state.find(type, recordId);
    if (!rec) return;
    const id = this.state.ids.next(NOTIFICATION_PREFIX);
    this.queue.push({ id, type, recordId: rec.id, queuedAt: this.state.clock.now() });
    this.wake();
  }

  stats(): OutboundStats {
    return {
      enabled: this.config !== null,
      queue: this.queue.length,
      ...this.counts,
      lastError: this.lastError,
    };
  }

  /** Stops for good: no timer or request is left behind once this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halt();
    this.config = null;
    await this.loop;
  }

  private halt(): void {
    this.generation += 1;
    this.queue = [];
    this.failures = 0;
    this.inFlight?.abort();
    this.cancelWait();
  }

  private wake(): void {
    if (this.loop || !this.config || this.stopped) return;
    const gen = this.generation;
    this.loop = this.run(gen).finally(() => {
      this.loop = null;
      // A write may have landed between the loop's last look at the queue and now.
      if (this.queue.length > 0) this.wake();
    });
  }

  private async run(gen: number): Promise<void> {
    const live = () => gen === this.generation && this.config !== null && !this.stopped;
    while (live() && this.queue.length > 0) {
      if (this.faults.delayMs) await this.sleep(this.faults.delayMs);
      if (!live()) return;
      this.dropExpired();
      const batch = this.select();
      if (batch.length === 0) return;
      const ok = await this.deliver(batch);
      if (!live()) return;
      if (ok) {
        const sent = new Set(batch.map((n) => n.id));
        this.queue = this.queue.filter((n) => !sent.has(n.id));
        this.counts.delivered += batch.length;
        this.failures = 0;
      } else {
        this.failures += 1;
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (this.failures - 1));
        await this.sleep(delay);
      }
    }
  }

  private dropExpired(): void {
    const oldest = this.state.clock.now() - this.retry.maxAgeMs;
    const kept = this.queue.filter((n) => n.queuedAt >= oldest);
    this.counts.dropped += this.queue.length - kept.length;
    this.queue = kept;
  }

  private select(): Pending[] {
    if (this.faults.reorder) return this.queue.slice(-MAX_PER_MESSAGE).reverse();
    return this.queue.slice(0, MAX_PER_MESSAGE);
  }

  private async deliver(batch: Pending[]): Promise<boolean> {
    const config = this.config;
    if (!config) return false;
    const xml = buildOutboundEnvelope(
      { organizationId: config.organizationId, actionId: config.actionId, baseUrl: this.baseUrl() },
      batch.map((n) => this.snapshot(n, config.fields[n.type])),
    );
    const ok = await this.post(config.url, xml);
    if (this.faults.duplicate && ok !== null) await this.post(config.url, xml);
    return ok === true;
  }

  /** The record's current values (Salesforce sends those, not the ones at the time of the write). */
  private snapshot(n: Pending, wanted: string[] | undefined): EnvelopeNotification {
    const rec = this.state.find(n.type, n.recordId);
    const names = wanted ?? this.state.schema.fields(n.type).map((f) => f.name);
    const fields: EnvelopeNotification['fields'] = [['Id', n.recordId]];
    for (const name of names) if (name !== 'Id') fields.push([name, rec?.values[name] ?? null]);
    return { id: n.id, type: n.type, fields };
  }

  /** true: acknowledged; false: anything else; null: aborted (disabled or stopped meanwhile). */
  private post(url: string, xml: string): Promise<boolean | null> {
    this.counts.attempts += 1;
    const abort = new AbortController();
    this.inFlight = abort;
    const body = Buffer.from(xml, 'utf8');
    return new Promise<boolean | null>((resolve) => {
      const fail = (message: string) => {
        if (abort.signal.aborted) return resolve(null);
        this.lastError = message;
        resolve(false);
      };
      const req = request(
        url,
        {
          method: 'POST',
          agent: false,
          signal: abort.signal,
          timeout: this.retry.timeoutMs,
          headers: {
            'content-type': 'text/xml; charset=utf-8',
            'content-length': body.length,
            soapaction: '""',
            'user-agent': 'Jakarta Commons-HttpClient/3.1',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => fail(e.message));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200 && isAck(text)) return resolve(true);
            fail(`HTTP ${res.statusCode ?? 0}${res.statusCode === 200 ? ' without <Ack>true</Ack>' : ''}`);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.retry.timeoutMs} ms`)));
      req.on('error', (e) => fail(e.message));
      req.end(body);
    }).finally(() => {
      if (this.inFlight === abort) this.inFlight = null;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wait = null;
        resolve();
      }, ms);
      this.wait = { timer, resolve };
    });
  }

  private cancelWait(): void {
    if (!this.wait) return;
    clearTimeout(this.wait.timer);
    this.wait.resolve();
    this.wait = null;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
