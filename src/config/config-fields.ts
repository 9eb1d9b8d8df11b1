// What the CRM adapter must read: the fields named by match keys, rule conditions and rule dates (which
// must be date fields). The scope is not evaluated by Roster (it goes to Salesforce as the query's
// WHERE), so it adds no fields.
import type { ContactQuery } from '../domain/crm.ts';
import { addField, conditionFields } from '../rules/condition-fields.ts';
import { parseFieldPath } from '../rules/field-path.ts';
import { parseCondition } from '../rules/parse-condition.ts';
import type { RosterConfig } from './config-schema.ts';

export function configFields(config: RosterConfig): ContactQuery {
  const contactFields: string[] = [];
  const accountFields: string[] = [];
  const addPath = (path: string) => {
    const parsed = parseFieldPath(path);
    if (!parsed.ok) return;
    addField(parsed.ref.object === 'account' ? accountFields : contactFields, parsed.ref.field);
  };
  const dateFields: string[] = [];
  for (const key of config.match) addPath(key.salesforce);
  for (const rule of config.rules) {
    const fields = conditionFields(parseCondition(rule.when));
    for (const f of fields.contact) addField(contactFields, f);
    for (const f of fields.account) addField(accountFields, f);
    if (rule.retireOn) {
      addPath(rule.retireOn);
      const parsed = parseFieldPath(rule.retireOn);
      if (parsed.ok) addField(dateFields, parsed.ref.path);
    }
  }
  return { scope: config.scope.contacts, contactFields, accountFields, dateFields };
}
