// Every change feed Roster has. Feeds only mark Salesforce records dirty in the durable queue (through
// a FeedSink); the same pipeline then decides what, if anything, Docebo needs. The composition root
// (src/compose/feeds.ts) builds the ones roster.yaml enables.
//   poll      — asks Salesforce what changed since a watermark; works in every org (the default)
//   cdc       — Change Data Capture over the Pub/Sub API (gRPC); seconds, no polling cost
//   outbound  — Salesforce outbound messages (SOAP) posted to `roster serve`'s HTTP endpoint
export { PollFeed, type PollFeedOptions } from './poll/poll-feed.ts';
export { SalesforceCdcFeed, type SalesforceCdcFeedOptions } from './cdc/salesforce-cdc-feed.ts';
export {
  outboundMessagesPlugin,
  redactOutboundToken,
  DEFAULT_OUTBOUND_PATH,
  type OutboundMessagesOptions,
} from './outbound/outbound-messages-plugin.ts';
export { createOutboundHealth, type OutboundHealth } from './outbound/outbound-health.ts';
export {
  parseOutboundEnvelope,
  soapFault,
  ACK_ENVELOPE,
  MAX_NOTIFICATIONS,
  EnvelopeError,
  type OutboundEnvelope,
  type OutboundNotification,
} from './outbound/soap-envelope.ts';
