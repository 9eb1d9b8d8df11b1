// The Salesforce simulator's public surface.
export { startSalesforceSimulator } from './salesforce-simulator.ts';
export type { SalesforceSimulatorOptions, RunningSalesforceSimulator } from './salesforce-simulator.ts';
export { runSalesforceSimulatorCli } from './simulator-cli.ts';
export type { SalesforceSeed } from './salesforce-state.ts';
export type { SchemaDecl, DeclaredType } from './schema.ts';
export { DEMO_SCHEMA } from './schema.ts';
export type { CallRecord } from './sim-context.ts';
export type { FaultSpec } from './faults.ts';
export { isValidId18, toId18 } from './salesforce-ids.ts';
export type { OutboundRetryOptions, OutboundStats, OutboundFaults } from './outbound/outbound-sender.ts';
export type { PubSubOptions } from './pubsub/index.ts';
