// Roster's endpoint for Salesforce outbound messages (workflow / flow "Outbound Message" actions).
//
// The shared secret: Salesforce cannot add headers (or Basic credentials) to an outbound message, so
// the secret travels in the endpoint URL an admin configures in Salesforce, as a query parameter:
//   https://roster.example.com/salesforce/outbound-messages?token=<ROSTER_OM_SECRET>
// It is compared in constant time and never logged by this plugin. The host's request logger must not
// print query strings either (see redactOutboundToken).
//
// Salesforce delivers at least once, out of order, for up to 24 h, retrying anything but an Ack. So:
// an Ack only after the sink has durably stored the keys; de-duplication on the notification id is the
// store's job (FeedDelivery.dedupe); refusals are SOAP Faults with a non-200 status, which Salesforce
// retries and shows an admin in its outbound message queue.
//
// A message that can never be read (malformed or over the XML bounds, no sf:Id, an element named
// __proto__, too large, the wrong org) is the sender's permanent problem: 4xx with a Client fault that
// says what is wrong, never a 500. Salesforce retries it all the same (only an Ack stops it), each try
// costing milliseconds; onRefused counts it, so three unacknowledged messages in a row make the feed
// "failing" and alert someone. Only a failure of Roster's own (the store) is a 500 Server fault.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DirtyKey, DirtyKind } from '../../domain/work.ts';
import type { FeedSink } from '../../ports/change-feed.ts';
import type { Logger } from '../../ports/logger.ts';
import {
  ACK_ENVELOPE,
  EnvelopeError,
  parseOutboundEnvelope,
  soapFault,
  type OutboundEnvelope,
} from './soap-envelope.ts';

export interface OutboundMessagesOptions {
  /** Default `/salesforce/outbound-messages`. */
  path?: string;
  /** The org allowed to send (15 or 18 chars); compared on the case-sensitive 15-char prefix. */
  organizationId: string;
  /** Expected in the `token` query parameter. */
  secret: string;
  sink: FeedSink;
  now: () => Date;
  log: Logger;
  /** After each stored message: notifications new to the store, and those it had seen before. */
  onDelivery?: (accepted: number, duplicates: number) => void;
  /** After each message with the right token that got no Ack: the status and the fault's reason. */
  onRefused?: (status: number, reason: string) => void;
}

export const DEFAULT_OUTBOUND_PATH = '/salesforce/outbound-messages';
// 100 notifications carrying only their record Id take about 40 KB; a megabyte leaves room for fields
// Roster does not read, while bounding what the parser may be asked to do (it copies text char by char).
export const OUTBOUND_BODY_LIMIT = 1024 * 1024;
const XML_TYPES = ['text/xml', 'application/soap+xml'];
const KIND_OF: Record<string, DirtyKind> = { Account: 'account', Contact: 'contact' };

/** Register with `app.register(outboundMessagesPlugin(opts))`; the XML parser stays scoped to it. */
export function outboundMessagesPlugin(
  opts: OutboundMessagesOptions,
): (app: FastifyInstance) => Promise<void> {
  const path = opts.path ?? DEFAULT_OUTBOUND_PATH;
  const org15 = opts.organizationId.slice(0, 15);
  const expected = digest(opts.secret);

  // Requests past the token check: only their refusals count against the feed's health.
  const authenticated = new WeakSet<FastifyRequest>();
  const send = (reply: FastifyReply, status: number, code: 'Client' | 'Server', message: string) =>
    reply.code(status).type('text/xml; charset=utf-8').send(soapFault(code, message));
  const refuse = (reply: FastifyReply, status: number, code: 'Client' | 'Server', message: string) => {
    if (authenticated.has(reply.request)) opts.onRefused?.(status, message);
    return send(reply, status, code, message);
  };

  return async (app) => {
    app.addContentTypeParser(
      XML_TYPES,
      { parseAs: 'string', bodyLimit: OUTBOUND_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    // Body-limit, media-type and unexpected errors still answer in SOAP, so Salesforce shows them.
    app.setErrorHandler((err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      opts.log.warn('outbound message failed', { path, status, error: errorText(err), ip: req.ip });
      // Internal details stay in our log; the sender learns only what it can fix.
      if (status >= 500) return refuse(reply, status, 'Server', 'Internal error; retry later');
      return refuse(reply, status, 'Client', errorText(err));
    });

    app.post(path, {
      bodyLimit: OUTBOUND_BODY_LIMIT,
      // Before the body is read, so an unauthenticated caller costs no parsing.
      onRequest: async (req, reply) => {
        if (!tokenMatches(req, expected)) {
          opts.log.warn('outbound message refused: missing or wrong token', { path, ip: req.ip });
          return send(reply, 403, 'Client', 'Forbidden: missing or wrong token');
        }
        authenticated.add(req);
      },
      handler: async (req, reply) => {
        // Only the XML parsers above yield a string; JSON or form bodies land here as objects.
        if (typeof req.body !== 'string') {
          return refuse(reply, 415, 'Client', 'Expected a SOAP message (text/xml)');
        }
        let envelope: OutboundEnvelope;
        try {
          envelope = parseOutboundEnvelope(req.body);
        } catch (e) {
          if (!(e instanceof EnvelopeError)) throw e;
          opts.log.warn('outbound message refused: malformed', { path, error: e.message });
          return refuse(reply, 400, 'Client', e.message);
        }
        if (envelope.organizationId.slice(0, 15) !== org15) {
          opts.log.warn('outbound message refused: wrong organization', {
            path,
            organizationId: envelope.organizationId,
          });
          return refuse(reply, 403, 'Client', 'Forbidden: unexpected OrganizationId');
        }

        const keys: DirtyKey[] = [];
        const ids: string[] = [];
        for (const n of envelope.notifications) {
          const kind = KIND_OF[n.type];
          if (!kind) {
            // Acked anyway: refusing would only make Salesforce retry an action Roster never uses.
            opts.log.warn('outbound message: ignoring an unsupported sObject type', {
              type: n.type,
              notificationId: n.id,
            });
            continue;
          }
          keys.push({ kind, id: n.recordId, source: 'outbound' });
          ids.push(n.id);
        }

        let duplicates = 0;
        if (keys.length > 0) {
          try {
            const stored = await opts.sink({ keys, dedupe: { source: 'outbound', ids } });
            duplicates = stored.duplicates.length;
          } catch (e) {
            // No Ack: Salesforce keeps the notifications and retries with backoff.
            opts.log.warn('outbound message not stored; Salesforce will retry', {
              notifications: ids.length,
              error: errorText(e),
            });
            return refuse(reply, 500, 'Server', 'Temporarily unable to store the notifications');
          }
        }
        const accepted = ids.length - duplicates;
        opts.onDelivery?.(accepted, duplicates);
        opts.log.info('outbound message stored', {
          receivedAt: opts.now().toISOString(),
          actionId: envelope.actionId,
          notifications: envelope.notifications.length,
          accepted,
          duplicates,
        });
        return reply.code(200).type('text/xml; charset=utf-8').send(ACK_ENVELOPE);
      },
    });
  };
}

/** For the host's request logger: the URL with any `token` query value replaced. */
export function redactOutboundToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

function tokenMatches(req: FastifyRequest, expected: Buffer): boolean {
  const token = (req.query as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token.length === 0) return false;
  // Equal-length digests make the comparison constant-time whatever the token's length.
  return timingSafeEqual(digest(token), expected);
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
