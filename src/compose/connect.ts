// The vendor adapters, built from the validated config: the Salesforce source, the Docebo target, the
// store, and the Pub/Sub login the CDC feed uses.
import { DoceboLmsTarget } from '../adapters/docebo/docebo-lms-target.ts';
import { openPubSubSession } from '../adapters/salesforce/pubsub-session.ts';
import { SalesforceCrmSource } from '../adapters/salesforce/salesforce-crm-source.ts';
import { openStore } from '../adapters/store/open-store.ts';
import { configFields } from '../config/config-fields.ts';
import type { RosterConfig } from '../config/config-schema.ts';
import type { RosterSettings } from '../app/roster-context.ts';
import type { RuleSpec } from '../planner/reasons.ts';
import type { CallBudget } from '../ports/call-budget.ts';
import type { Clock } from '../ports/clock.ts';
import type { CrmSource } from '../ports/crm-source.ts';
import type { LmsTarget } from '../ports/lms-target.ts';
import type { Store } from '../ports/store.ts';
import { compileRules } from '../rules/compile-rules.ts';

export function settingsOf(config: RosterConfig): RosterSettings {
  const rules: RuleSpec[] = compileRules(config.rules).map((r) => ({
    name: r.name,
    retireOn: r.retireOn,
    fields: r.fields,
    holds: (contact, today) => r.holds(contact, today),
  }));
  return {
    mode: config.retire.mode,
    timezone: config.docebo.timezone,
    batchSize: config.docebo.batchSize,
    matchKeys: config.match,
    rules,
    query: configFields(config),
    guards: config.guards,
  };
}

export function salesforceSource(config: RosterConfig): CrmSource {
  return new SalesforceCrmSource({
    loginUrl: config.salesforce.loginUrl,
    apiVersion: config.salesforce.apiVersion,
    auth: config.salesforce.auth,
    batchSize: config.salesforce.batchSize,
  });
}

export function doceboTarget(config: RosterConfig, budget: CallBudget, clock: Clock): LmsTarget {
  return new DoceboLmsTarget({
    baseUrl: config.docebo.baseUrl,
    ...config.docebo.auth,
    batchIdentifyBy: config.docebo.batchIdentifyBy,
    clearExpirationWith: config.docebo.clearExpirationWith,
    budget,
    clock,
  });
}

export function pubSubLogin(config: RosterConfig) {
  const { loginUrl, apiVersion, auth } = config.salesforce;
  return () => openPubSubSession({ loginUrl, apiVersion, auth });
}

export function openConfiguredStore(config: RosterConfig): Promise<Store> {
  return openStore(config.store);
}
