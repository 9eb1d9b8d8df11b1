// The simulated org's data: Accounts and Contacts in memory, with the system fields Salesforce keeps on
// every write (CreatedDate, LastModifiedDate, SystemModstamp, IsDeleted) and the soft delete that leaves a
// row visible to queryAll only.
import { IdGenerator, KEY_PREFIX, normalizeId } from './salesforce-ids.ts';
import type { FieldDef, Schema, SObjectType } from './schema.ts';
import { DAY_MS, formatDateTime, parseDate, parseDateTime } from './sf-dates.ts';
import { SfError } from './sf-errors.ts';

export type FieldValue = string | number | boolean | null;

export interface SfRecord {
  type: SObjectType;
  id: string;
  /** Canonical field name → value in Salesforce's JSON form. */
  values: Record<string, FieldValue>;
  deletedAt: number | null;
}

/** One record changed by a write; `before` is null for a create. Listeners get one list per transaction. */
export interface RecordChange {
  type: SObjectType;
  id: string;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  before: Record<string, FieldValue> | null;
  after: Record<string, FieldValue>;
  at: number;
}
export type ChangeListener = (changes: RecordChange[]) => void;

export interface SalesforceSeed {
  accounts?: ({ ref: string } & Record<string, unknown>)[];
  contacts?: ({ ref: string; accountRef?: string | null } & Record<string, unknown>)[];
}

export class SimClock {
  private offsetMs = 0;
  constructor(private readonly base: () => Date = () => new Date()) {}
  now(): number {
    return this.base().getTime() + this.offsetMs;
  }
  set(iso: string): void {
    const ms = parseDateTime(iso) ?? parseDate(iso);
    if (ms === null)
      throw new SfError(400, 'INVALID_REQUEST', `clock: "${iso}" is not an ISO date or dateTime`);
    this.offsetMs = ms - this.base().getTime();
  }
  advanceDays(days: number): void {
    this.offsetMs += days * DAY_MS;
  }
}

export class SalesforceState {
  private readonly records = new Map<SObjectType, Map<string, SfRecord>>([
    ['Account', new Map()],
    ['Contact', new Map()],
  ]);
  readonly ids = new IdGenerator();
  private readonly listeners: ChangeListener[] = [];
  // Seeded records stand for data that existed before anyone listened: no change events.
  private seeding = false;

  constructor(
    readonly schema: Schema,
    readonly clock: SimClock,
  ) {}

  /** Called after every committed write (change data capture, outbound messages); returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(changes: RecordChange[]): void {
    if (this.seeding || changes.length === 0) return;
    for (const l of [...this.listeners]) l(changes);
  }

  all(type: SObjectType): SfRecord[] {
    return [...(this.records.get(type)?.values() ?? [])];
  }

  /** Any record by id, deleted or not (ids are 15 or 18 chars). */
  find(type: SObjectType, rawId: string): SfRecord | undefined {
    const id = normalizeId(rawId);
    return id ? this.records.get(type)?.get(id) : undefined;
  }

  /** A live record, or the 404 Salesforce answers for a missing or deleted one. */
  live(type: SObjectType, rawId: string): SfRecord {
    const rec = this.find(type, rawId);
    if (!rec) {
      throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    if (rec.deletedAt !== null) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return rec;
  }

  create(type: SObjectType, fields: Record<string, unknown>): SfRecord {
    const values = this.coerceAll(type, fields, 'insert');
    for (const f of this.schema.fields(type)) {
      if (f.required && (values[f.name] === undefined || values[f.name] === null || values[f.name] === '')) {
        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${f.name}]`, [
          f.name,
        ]);
      }
    }
    const now = formatDateTime(this.clock.now());
    const id = this.ids.next(KEY_PREFIX[type]);
    const rec: SfRecord = { type, id, values: {}, deletedAt: null };
    for (const f of this.schema.fields(type)) rec.values[f.name] = f.type === 'boolean' ? false : null;
    Object.assign(rec.values, values, {
      Id: id,
      IsDeleted: false,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
    });
    this.derive(rec);
    this.records.get(type)?.set(id, rec);
    this.emit([
      { type, id, changeType: 'CREATE', before: null, after: { ...rec.values }, at: this.clock.now() },
    ]);
    return rec;
  }

  update(type: SObjectType, rawId: string, fields: Record<string, unknown>): SfRecord {
    const rec = this.live(type, rawId);
    const values = this.coerceAll(type, fields, 'update');
    for (const [name, v] of Object.entries(values)) {
      const f = this.schema.fieldOf(type, name);
      if (f?.required && (v === null || v === '')) {
        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${f.name}]`, [
          f.name,
        ]);
      }
    }
    const before = { ...rec.values };
    Object.assign(rec.values, values);
    this.touch(rec);
    this.derive(rec);
    this.emit([
      { type, id: rec.id, changeType: 'UPDATE', before, after: { ...rec.values }, at: this.clock.now() },
    ]);
    return rec;
  }

  /** Soft delete; deleting an Account also deletes its Contacts, as Salesforce cascades. */
  delete(type: SObjectType, rawId: string): void {
    const rec = this.live(type, rawId);
    const now = this.clock.now();
    const changes: RecordChange[] = [];
    const bury = (r: SfRecord) => {
      const before = { ...r.values };
      r.deletedAt = now;
      r.values.IsDeleted = true;
      this.touch(r);
      changes.push({ type: r.type, id: r.id, changeType: 'DELETE', before, after: { ...r.values }, at: now });
    };
    bury(rec);
    if (type === 'Account') {
      for (const c of this.all('Contact')) if (c.deletedAt === null && c.values.AccountId === rec.id) bury(c);
    }
    this.emit(changes);
  }

  /** Loads a seed; refs name records so contacts can point at accounts. */
  seed(seed: SalesforceSeed): Record<string, string> {
    this.seeding = true;
    try {
      return this.seedRecords(seed);
    } finally {
      this.seeding = false;
    }
  }

  private seedRecords(seed: SalesforceSeed): Record<string, string> {
    const ids: Record<string, string> = {};
    for (const a of seed.accounts ?? []) {
      const { ref, ...fields } = a;
      ids[ref] = this.create('Account', fields).id;
    }
    for (const c of seed.contacts ?? []) {
      const { ref, accountRef, ...fields } = c;
      if (accountRef !== undefined && accountRef !== null) {
        const accountId = ids[accountRef];
        if (!accountId)
          throw new SfError(
            400,
            'INVALID_REQUEST',
            `seed: contact "${ref}" names unknown accountRef "${accountRef}"`,
          );
        fields.AccountId = accountId;
      }
      ids[ref] = this.create('Contact', fields).id;
    }
    return ids;
  }

  private touch(rec: SfRecord): void {
    const now = formatDateTime(this.clock.now());
    rec.values.LastModifiedDate = now;
    rec.values.SystemModstamp = now;
  }

  private derive(rec: SfRecord): void {
    if (rec.type === 'Contact') {
      const parts = [rec.values.FirstName, rec.values.LastName].filter(
        (p) => typeof p === 'string' && p !== '',
      );
      rec.values.Name = parts.join(' ');
    }
  }

  private coerceAll(type: SObjectType, fields: Record<string, unknown>, op: 'insert' | 'update') {
    const out: Record<string, FieldValue> = {};
    for (const [name, raw] of Object.entries(fields)) {
      if (name === 'attributes') continue;
      const f = this.schema.requireField(type, name);
      if (!f.writable) {
        throw new SfError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [f.name],
        );
      }
      out[f.name] = this.coerce(type, f, raw, op);
    }
    return out;
  }

  private coerce(type: SObjectType, f: FieldDef, raw: unknown, _op: string): FieldValue {
    const bad = (): never => {
      throw new SfError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${f.type} from ${JSON.stringify(raw)} for field ${type}.${f.name}`,
      );
    };
    if (raw === null) return f.type === 'boolean' ? false : null;
    switch (f.type) {
      case 'string':
        return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : bad();
      case 'email':
        if (typeof raw !== 'string') return bad();
        if (raw !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) {
          throw new SfError(400, 'INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${raw}`, [f.name]);
        }
        return raw === '' ? null : raw;
      case 'boolean':
        return typeof raw === 'boolean' ? raw : bad();
      case 'number':
        return typeof raw === 'number' && Number.isFinite(raw) ? raw : bad();
      case 'date': {
        if (typeof raw !== 'string') return bad();
        const day = raw.length > 10 ? parseDateTime(raw) : parseDate(raw);
        return day === null ? bad() : new Date(day).toISOString().slice(0, 10);
      }
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseDateTime(raw) : null;
        return ms === null ? bad() : formatDateTime(ms);
      }
      case 'reference': {
        if (typeof raw !== 'string') return bad();
        if (raw === '') return null;
        const id = normalizeId(raw);
        if (!id)
          throw new SfError(400, 'MALFORMED_ID', `${f.name}: id value of incorrect type: ${raw}`, [f.name]);
        const parent = f.referenceTo ? this.find(f.referenceTo, id) : undefined;
        if (!parent || parent.deletedAt !== null) {
          throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
        }
        return id;
      }
      case 'id':
        return bad();
    }
  }
}
