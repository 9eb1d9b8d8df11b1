// The Salesforce outbound-message feed: a SOAP endpoint that marks records dirty.
export {
  outboundMessagesPlugin,
  redactOutboundToken,
  DEFAULT_OUTBOUND_PATH,
  type OutboundMessagesOptions,
} from './outbound-messages-plugin.ts';
export { createOutboundHealth, type OutboundHealth } from './outbound-health.ts';
export {
  parseOutboundEnvelope,
  soapFault,
  ACK_ENVELOPE,
  MAX_NOTIFICATIONS,
  EnvelopeError,
  type OutboundEnvelope,
  type OutboundNotification,
} from './soap-envelope.ts';
