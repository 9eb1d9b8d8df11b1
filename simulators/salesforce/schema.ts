// The simulated org's schema: the standard fields Roster touches plus declared custom fields. Field names
// are case-insensitive in SOQL and in writes; `fieldOf` returns the declared (canonical) spelling.
import { SfError } from './sf-errors.ts';

export type DeclaredType = 'string' | 'boolean' | 'number' | 'date' | 'datetime';
export type FieldType = DeclaredType | 'id' | 'reference' | 'email';

/** `{"Account": {"Status__c": "string"}, "Contact": {"Left_Date__c": "date"}}` */
export type SchemaDecl = Record<string, Record<string, DeclaredType>>;

export type SObjectType = 'Account' | 'Contact';
export const SOBJECT_TYPES: readonly SObjectType[] = ['Account', 'Contact'];

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Set by clients through create/update. */
  writable: boolean;
  required?: boolean;
  /** For reference fields: the parent type and relationship name. */
  referenceTo?: SObjectType;
  relationshipName?: string;
}

export const DEMO_SCHEMA: SchemaDecl = {
  Account: { Status__c: 'string', Retired_Date__c: 'date' },
  Contact: { Docebo_Access__c: 'boolean', Left_Date__c: 'date' },
};

const SYSTEM: FieldDef[] = [
  { name: 'Id', type: 'id', writable: false },
  { name: 'IsDeleted', type: 'boolean', writable: false },
  { name: 'CreatedDate', type: 'datetime', writable: false },
  { name: 'LastModifiedDate', type: 'datetime', writable: false },
  { name: 'SystemModstamp', type: 'datetime', writable: false },
];

const STANDARD: Record<SObjectType, FieldDef[]> = {
  Account: [...SYSTEM, { name: 'Name', type: 'string', writable: true, required: true }],
  Contact: [
    ...SYSTEM,
    { name: 'Name', type: 'string', writable: false },
    { name: 'FirstName', type: 'string', writable: true },
    { name: 'LastName', type: 'string', writable: true, required: true },
    { name: 'Email', type: 'email', writable: true },
    {
      name: 'AccountId',
      type: 'reference',
      writable: true,
      referenceTo: 'Account',
      relationshipName: 'Account',
    },
  ],
};

const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_]*__c$/;
const TYPES: readonly DeclaredType[] = ['string', 'boolean', 'number', 'date', 'datetime'];

export class Schema {
  private readonly byType = new Map<SObjectType, Map<string, FieldDef>>();

  constructor(decl: SchemaDecl = DEMO_SCHEMA) {
    for (const type of SOBJECT_TYPES) {
      const fields = new Map<string, FieldDef>();
      for (const f of STANDARD[type]) fields.set(f.name.toLowerCase(), f);
      this.byType.set(type, fields);
    }
    for (const [rawType, fields] of Object.entries(decl)) {
      const type = sobjectType(rawType);
      if (!type) throw new Error(`schema: unknown object "${rawType}" (only Account and Contact)`);
      for (const [name, t] of Object.entries(fields)) {
        if (!CUSTOM_NAME.test(name)) throw new Error(`schema: ${type}.${name} must be a custom field (…__c)`);
        if (!TYPES.includes(t)) throw new Error(`schema: ${type}.${name} has unknown type "${String(t)}"`);
        this.byType.get(type)?.set(name.toLowerCase(), { name, type: t, writable: true });
      }
    }
  }

  fields(type: SObjectType): FieldDef[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  fieldOf(type: SObjectType, name: string): FieldDef | undefined {
    return this.byType.get(type)?.get(name.toLowerCase());
  }

  /** A field by name or an INVALID_FIELD error worded like Salesforce's. */
  requireField(type: SObjectType, name: string): FieldDef {
    const f = this.fieldOf(type, name);
    if (!f)
      throw new SfError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    return f;
  }

  /** The reference field whose relationship name is `rel` (e.g. Contact.Account → AccountId). */
  relationship(type: SObjectType, rel: string): FieldDef | undefined {
    return this.fields(type).find((f) => f.relationshipName?.toLowerCase() === rel.toLowerCase());
  }
}

export function sobjectType(raw: string): SObjectType | undefined {
  return SOBJECT_TYPES.find((t) => t.toLowerCase() === raw.toLowerCase());
}

export function requireSObjectType(raw: string): SObjectType {
  const t = sobjectType(raw);
  if (!t) throw new SfError(404, 'NOT_FOUND', `The requested resource does not exist`);
  return t;
}

/** Parses a schema file's JSON, failing with the path of the first problem. */
export function parseSchemaDecl(json: unknown): SchemaDecl {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error('schema: expected an object');
  new Schema(json as SchemaDecl);
  return json as SchemaDecl;
}
