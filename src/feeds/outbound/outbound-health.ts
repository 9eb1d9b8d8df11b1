// Health of the outbound-message feed. An inbound feed cannot tell that it is stalled (no message may
// simply mean no change), so it never reports a stall; but messages that reach it with the right token
// and get no Ack (unreadable, the wrong org, the store down) are failures, and three in a row make the
// feed "failing" (HealthMonitor), which alerts someone. The next stored message clears them.
import type { FeedHealth } from '../../domain/work.ts';
import type { Clock } from '../../ports/clock.ts';

export interface OutboundHealth {
  /** Fits OutboundMessagesOptions.onDelivery. */
  record(accepted: number, duplicates: number): void;
  /** Fits OutboundMessagesOptions.onRefused. */
  refused(status: number, reason: string): void;
  health(): FeedHealth;
}

export function createOutboundHealth(clock: Pick<Clock, 'now'>): OutboundHealth {
  let lastEventAt: string | null = null;
  let events = 0;
  let consecutiveFailures = 0;
  let error: string | null = null;
  return {
    record(accepted, duplicates) {
      lastEventAt = clock.now().toISOString();
      events += accepted + duplicates;
      consecutiveFailures = 0;
      error = null;
    },
    refused(status, reason) {
      consecutiveFailures += 1;
      error = `last message refused with HTTP ${status}: ${reason}`;
    },
    health: () => ({
      feed: 'outbound',
      state: 'ok',
      lastHeartbeatAt: lastEventAt,
      lastEventAt,
      lagMs: null,
      events,
      consecutiveFailures,
      error,
    }),
  };
}
