// Checks a parsed query against the schema: the object exists, every field and relationship exists
// (INVALID_FIELD otherwise, worded like Salesforce), and every literal fits its field's type.
import type { Schema } from '../schema.ts';
import { sobjectType, type FieldDef, type SObjectType } from '../schema.ts';
import { malformedQuery, invalidField, SfError } from '../sf-errors.ts';
import type { Condition, FieldPath, Literal, SoqlQuery } from './soql-ast.ts';

export interface BoundField {
  def: FieldDef;
  /** The reference field followed to reach `def` (Contact.AccountId for `Account.Status__c`). */
  via: FieldDef | null;
  /** Canonical path for messages and duplicate checks. */
  path: string;
}

export type BoundQuery = SoqlQuery<BoundField> & { type: SObjectType };

const TEXT_TYPES = new Set(['string', 'email', 'id', 'reference']);

export function bindQuery(q: SoqlQuery, schema: Schema): BoundQuery {
  const type = sobjectType(q.object);
  if (!type) {
    throw new SfError(
      400,
      'INVALID_TYPE',
      `sObject type '${q.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const field = (p: FieldPath): BoundField => bindField(schema, type, p);
  const seen = new Set<string>();
  const fields = q.fields.map((p) => {
    const b = field(p);
    if (seen.has(b.path.toLowerCase())) throw malformedQuery(`duplicate field selected: ${p.raw}`);
    seen.add(b.path.toLowerCase());
    return b;
  });
  return {
    ...q,
    type,
    fields,
    where: q.where ? bindCondition(q.where, field) : null,
    orderBy: q.orderBy.map((o) => ({ ...o, field: field(o.field) })),
  };
}

function bindField(schema: Schema, type: SObjectType, p: FieldPath): BoundField {
  if (p.rel === null) {
    const def = schema.requireField(type, p.field);
    return { def, via: null, path: def.name };
  }
  const via = schema.relationship(type, p.rel);
  if (!via?.referenceTo || !via.relationshipName) {
    throw invalidField(
      `Didn't understand relationship '${p.rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const def = schema.requireField(via.referenceTo, p.field);
  return { def, via, path: `${via.relationshipName}.${def.name}` };
}

function bindCondition(c: Condition, field: (p: FieldPath) => BoundField): Condition<BoundField> {
  if (c.type === 'cmp') return bindCompare(c, field);
  if (c.type === 'not') return { type: 'not', operand: bindCondition(c.operand, field) };
  return { type: c.type, operands: c.operands.map((o) => bindCondition(o, field)) };
}

function bindCompare(
  c: Extract<Condition, { type: 'cmp' }>,
  field: (p: FieldPath) => BoundField,
): Condition<BoundField> {
  const f = field(c.field);
  const t = f.def.type;
  if (c.op === 'LIKE' && !TEXT_TYPES.has(t))
    throw invalidField(`invalid operator on ${t} field: ${f.path} LIKE`);
  if (t === 'boolean' && !['=', '!='].includes(c.op))
    throw invalidField(`invalid operator on boolean field: ${f.path} ${c.op}`);
  for (const v of c.values) checkLiteral(f, v);
  return { type: 'cmp', field: f, op: c.op, values: c.values };
}

function checkLiteral(f: BoundField, v: Literal): void {
  const t = f.def.type;
  const fits =
    v.kind === 'null' ||
    (v.kind === 'string' && TEXT_TYPES.has(t)) ||
    (v.kind === 'number' && t === 'number') ||
    (v.kind === 'boolean' && t === 'boolean') ||
    (v.kind === 'date' && t === 'date') ||
    (v.kind === 'datetime' && t === 'datetime') ||
    (v.kind === 'range' && (t === 'date' || t === 'datetime'));
  if (fits) return;
  const expected =
    t === 'datetime' ? 'dateTime' : t === 'number' ? 'double' : TEXT_TYPES.has(t) ? 'string' : t;
  const quote = TEXT_TYPES.has(t) ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  throw invalidField(
    `value of filter criterion for field '${f.path}' must be of type ${expected} and ${quote}`,
  );
}
