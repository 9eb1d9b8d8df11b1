// The SOAP side of Salesforce outbound messages (reference §3.7): parse a `notifications` envelope into
// plain data, and write the Ack and Fault envelopes. Namespace prefixes are stripped, because senders
// are free to pick their own prefixes (and Salesforce's default namespace on <notifications> has none).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { OUTBOUND_XML_BOUNDS, xmlBoundsProblem } from './xml-bounds.ts';

export interface OutboundNotification {
  /** The notification id: stable across Salesforce's retries, so it is the de-duplication key. */
  id: string;
  /** The sObject's local type name (`sf:Account` → `Account`). */
  type: string;
  recordId: string;
  /** The other fields the outbound message carries, as text (absent fields are absent). */
  fields: Record<string, string>;
}

export interface OutboundEnvelope {
  organizationId: string;
  actionId: string | null;
  notifications: OutboundNotification[];
}

/** A message that can never be read: a permanent problem of the sender's (400), never a 500. */
export class EnvelopeError extends Error {}

/** Salesforce sends at most 100 notifications in one message. */
export const MAX_NOTIFICATIONS = 100;

const Id18 = z.string().regex(/^[a-zA-Z0-9]{18}$/, 'expected an 18-character Salesforce id');
const OrgId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'expected a Salesforce org id');
// Values are kept as text (parseTagValue: false); a nil or attributed element arrives as an object.
const FieldValue = z.union([z.string(), z.record(z.string(), z.unknown())]);

const SObjectSchema = z
  .object({ '@_type': z.string().min(1), Id: Id18 })
  .catchall(z.union([FieldValue, z.array(FieldValue)]));

const NotificationSchema = z.object({ Id: Id18, sObject: SObjectSchema });

const EnvelopeSchema = z.object({
  Envelope: z.object({
    Body: z.object({
      notifications: z.object({
        OrganizationId: OrgId,
        ActionId: z.string().optional(),
        Notification: z.array(NotificationSchema).min(1).max(MAX_NOTIFICATIONS),
      }),
    }),
  }),
});

const NOTIFICATION_PATH = 'Envelope.Body.notifications.Notification';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Ids such as 0012… must stay text.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  maxNestedTags: OUTBOUND_XML_BOUNDS.maxDepth,
  isArray: (_name, jpath) => jpath === NOTIFICATION_PATH,
});

/** Parses and validates an outbound message; throws EnvelopeError with a short, safe reason. */
export function parseOutboundEnvelope(xml: string): OutboundEnvelope {
  // Counted first, in one pass: the parser's own cost grows with every attribute and element.
  const outOfBounds = xmlBoundsProblem(xml);
  if (outOfBounds !== null) throw new EnvelopeError(outOfBounds);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new EnvelopeError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (e) {
    // What the parser refuses is in the document (an element named __proto__ or constructor, nesting
    // past maxNestedTags), so it is the sender's problem, whatever the parser's error class.
    throw new EnvelopeError(`unreadable XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = EnvelopeSchema.safeParse(tree);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new EnvelopeError(`not an outbound message: ${where ? `${where}: ` : ''}${issue?.message ?? ''}`);
  }
  const body = parsed.data.Envelope.Body.notifications;
  return {
    organizationId: body.OrganizationId,
    actionId: body.ActionId ?? null,
    notifications: body.Notification.map((n) => {
      const { '@_type': xsiType, Id: recordId, ...rest } = n.sObject;
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(rest)) {
        if (typeof value === 'string' && !name.startsWith('@_')) fields[name] = value;
      }
      return { id: n.Id, type: localName(xsiType), recordId, fields };
    }),
  };
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The acknowledgement Salesforce requires (HTTP 200, text/xml); anything else makes it retry. */
export const ACK_ENVELOPE = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${SOAPENV}">
 <soapenv:Body>
  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>
 </soapenv:Body>
</soapenv:Envelope>
`;

/** A SOAP 1.1 Fault; `Client` for the sender's mistakes, `Server` for ours. */
export function soapFault(code: 'Client' | 'Server', message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${SOAPENV}">
 <soapenv:Body>
  <soapenv:Fault>
   <faultcode>soapenv:${code}</faultcode>
   <faultstring>${escapeXml(message)}</faultstring>
  </soapenv:Fault>
 </soapenv:Body>
</soapenv:Envelope>
`;
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}
