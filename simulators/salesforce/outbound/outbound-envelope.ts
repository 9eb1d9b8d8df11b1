// The SOAP envelope Salesforce POSTs for outbound messages (reference §3.7), built from the records'
// values at send time. Null fields are left out, as Salesforce does.
import type { FieldValue } from '../salesforce-state.ts';
import type { SObjectType } from '../schema.ts';

export interface EnvelopeHeader {
  organizationId: string;
  actionId: string;
  /** The simulator's base URL, for EnterpriseUrl/PartnerUrl. */
  baseUrl: string;
}

export interface EnvelopeNotification {
  id: string;
  type: SObjectType;
  /** Field name → value, Id first. */
  fields: [string, FieldValue][];
}

const API_VERSION = '66.0';

export function buildOutboundEnvelope(header: EnvelopeHeader, notifications: EnvelopeNotification[]): string {
  const org15 = header.organizationId.slice(0, 15);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ' <soapenv:Body>',
    '  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">',
    `   <OrganizationId>${esc(header.organizationId)}</OrganizationId>`,
    `   <ActionId>${esc(header.actionId)}</ActionId>`,
    '   <SessionId xsi:nil="true"/>',
    `   <EnterpriseUrl>${esc(`${header.baseUrl}/services/Soap/c/${API_VERSION}/${org15}`)}</EnterpriseUrl>`,
    `   <PartnerUrl>${esc(`${header.baseUrl}/services/Soap/u/${API_VERSION}/${org15}`)}</PartnerUrl>`,
  ];
  for (const n of notifications) {
    lines.push(
      '   <Notification>',
      `    <Id>${esc(n.id)}</Id>`,
      `    <sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">`,
    );
    for (const [name, value] of n.fields) {
      if (value === null) continue;
      lines.push(`     <sf:${name}>${esc(soapValue(value))}</sf:${name}>`);
    }
    lines.push('    </sObject>', '   </Notification>');
  }
  lines.push('  </notifications>', ' </soapenv:Body>', '</soapenv:Envelope>', '');
  return lines.join('\n');
}

/** True for the acknowledgement Salesforce requires, whatever the namespace prefixes. */
export function isAck(body: string): boolean {
  return /<(?:[\w.-]+:)?Ack>\s*true\s*<\/(?:[\w.-]+:)?Ack>/.test(body);
}

// xsd:dateTime in SOAP, where the REST API writes +0000.
const soapValue = (v: Exclude<FieldValue, null>) =>
  typeof v === 'string' ? v.replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+)\+0000$/, '$1Z') : String(v);

function esc(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}
