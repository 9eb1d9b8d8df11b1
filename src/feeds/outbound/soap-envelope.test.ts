import { describe, expect, it } from 'vitest';
import { ACK_ENVELOPE, EnvelopeError, parseOutboundEnvelope, soapFault } from './soap-envelope.ts';

const ORG = '00DRO0000000001AAA';
const wrap = (inner: string, env = 'soapenv', ns = '') => `<?xml version="1.0" encoding="UTF-8"?>
<${env}:Envelope xmlns:${env}="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <${env}:Body>
  <${ns}notifications xmlns${ns ? `:${ns.slice(0, -1)}` : ''}="http://soap.sforce.com/2005/09/outbound">
   <${ns}OrganizationId>${ORG}</${ns}OrganizationId>
   <${ns}ActionId>04kRO0000000001AAA</${ns}ActionId>
   <${ns}SessionId xsi:nil="true"/>
   ${inner}
  </${ns}notifications>
 </${env}:Body>
</${env}:Envelope>`;

const note = (fields = '', attributes = '') =>
  `<Notification><Id>04lRO0000000001AAA</Id><sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com" ${attributes}><sf:Id>001RO0000000001AAA</sf:Id>${fields}</sObject></Notification>`;

describe('parseOutboundEnvelope', () => {
  it('reads every notification with its id, type, record id and optional fields', () => {
    const xml = wrap(`
   <Notification><Id>04lRO0000000001AAA</Id>
    <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>001RO0000000001AAA</sf:Id><sf:Status__c>Inactive &amp; retired</sf:Status__c>
     <sf:Retired_Date__c xsi:nil="true"/><sf:NumberOfEmployees>0012</sf:NumberOfEmployees>
    </sObject></Notification>
   <Notification><Id>04lRO0000000002AAA</Id>
    <sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>003RO0000000001AAA</sf:Id></sObject>
   </Notification>`);
    expect(parseOutboundEnvelope(xml)).toEqual({
      organizationId: ORG,
      actionId: '04kRO0000000001AAA',
      notifications: [
        {
          id: '04lRO0000000001AAA',
          type: 'Account',
          recordId: '001RO0000000001AAA',
          fields: { Status__c: 'Inactive & retired', NumberOfEmployees: '0012' },
        },
        { id: '04lRO0000000002AAA', type: 'Contact', recordId: '003RO0000000001AAA', fields: {} },
      ],
    });
  });

  it('does not depend on the namespace prefixes the sender picked', () => {
    const xml = wrap(
      `<out:Notification><out:Id>04lRO0000000001AAA</out:Id>
        <out:sObject xsi:type="ens:Contact" xmlns:ens="urn:sobject.enterprise.soap.sforce.com"><ens:Id>003RO0000000001AAA</ens:Id></out:sObject>
       </out:Notification>`,
      'soap',
      'out:',
    );
    expect(parseOutboundEnvelope(xml).notifications).toEqual([
      { id: '04lRO0000000001AAA', type: 'Contact', recordId: '003RO0000000001AAA', fields: {} },
    ]);
  });

  it.each([
    ['broken XML', '<soapenv:Envelope><x>'],
    ['another SOAP call', wrap('').replace(/notifications/g, 'login')],
    ['no notification', wrap('')],
    [
      'a 15-char record id',
      wrap(
        '<Notification><Id>04lRO0000000001AAA</Id><sObject xsi:type="sf:Account"><sf:Id>001RO0000000001</sf:Id></sObject></Notification>',
      ),
    ],
    [
      'a missing notification id',
      wrap(
        '<Notification><sObject xsi:type="sf:Account"><sf:Id>001RO0000000001AAA</sf:Id></sObject></Notification>',
      ),
    ],
    ['a DTD', `<!DOCTYPE x [<!ENTITY a "b">]>${wrap('')}`],
    [
      'no sf:Id',
      wrap('<Notification><Id>04lRO0000000001AAA</Id><sObject xsi:type="sf:Account"/></Notification>'),
    ],
    ['an element named __proto__', wrap(note('<sf:__proto__><sf:polluted>1</sf:polluted></sf:__proto__>'))],
    ['an element named constructor', wrap(note('<constructor>1</constructor>'))],
    ['nesting past the bounds', wrap(note(`${'<a>'.repeat(20)}${'</a>'.repeat(20)}`))],
    ['nesting far past the bounds', wrap(note(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`))],
    ['200,000 attributes', wrap(note('', Array.from({ length: 200_000 }, (_, i) => `a${i}="1"`).join(' ')))],
  ])('refuses %s with an EnvelopeError (a 400, never a 500)', (_name, xml) => {
    expect(() => parseOutboundEnvelope(xml)).toThrow(EnvelopeError);
  });

  it('leaves nothing on Object.prototype', () => {
    expect(() =>
      parseOutboundEnvelope(wrap(note('<sf:__proto__><sf:polluted>1</sf:polluted></sf:__proto__>'))),
    ).toThrow(EnvelopeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writes the Ack and escaped Faults', () => {
    expect(ACK_ENVELOPE).toContain('<Ack>true</Ack>');
    expect(soapFault('Server', 'a < b & c')).toContain('<faultstring>a &lt; b &amp; c</faultstring>');
    expect(soapFault('Client', 'x')).toContain('<faultcode>soapenv:Client</faultcode>');
  });
});
