// What `roster doctor` tells the admin who sets up the Salesforce outbound messages. The endpoint reads
// only the notification's id, the sObject's type and its record Id (feeds/outbound/soap-envelope.ts);
// the values the rules need are re-read from Salesforce by the job the message marks dirty, so the
// message must carry the Id and nothing else, and must fire when any field Roster reads changes.
import type { RosterConfig } from '../config/config-schema.ts';
import { configFields } from '../config/config-fields.ts';
import type { AccessCheck } from '../ports/access-check.ts';
import { addField, conditionFields } from '../rules/condition-fields.ts';
import { parseCondition } from '../rules/parse-condition.ts';

export function outboundMessageAdvice(config: RosterConfig): AccessCheck | null {
  const om = config.feeds.outboundMessages;
  if (!om.enabled) return null;
  const query = configFields(config);
  const contact: string[] = [];
  for (const f of [...conditionFields(parseCondition(config.scope.contacts)).contact, ...query.contactFields])
    addField(contact, f);
  // A contact moving to another account changes every Account.* rule for them.
  addField(contact, 'AccountId');
  const account = [...query.accountFields];
  const triggers = [
    `Contact when ${contact.join(', ')} change`,
    ...(account.length > 0 ? [`Account when ${account.join(', ')} change`] : []),
  ];
  return {
    name: 'Salesforce outbound messages',
    ok: true,
    detail:
      `fields to send: Id only (Roster reads nothing else from a message and re-reads every value it needs); ` +
      `send on ${triggers.join('; and on ')}; ` +
      `endpoint: https://<roster serve's public host>${om.path}?token=<feeds.outboundMessages.secret>`,
  };
}
