// Health of the outbound-message feed. An inbound feed cannot tell that it is stalled (no message may
// simply mean no change), so it always reports 'ok'; readiness may add "no message for X" on top.
import type { FeedHealth } from '../../domain/work.ts';
import type { Clock } from '../../ports/clock.ts';

export interface OutboundHealth {
  /** Fits OutboundMessagesOptions.onDelivery. */
  record(accepted: number, duplicates: number): void;
  health(): FeedHealth;
}

export function createOutboundHealth(clock: Pick<Clock, 'now'>): OutboundHealth {
  let lastEventAt: string | null = null;
  let events = 0;
  return {
    record(accepted, duplicates) {
      lastEventAt = clock.now().toISOString();
      events += accepted + duplicates;
    },
    health: () => ({
      feed: 'outbound',
      state: 'ok',
      lastHeartbeatAt: lastEventAt,
      lastEventAt,
      lagMs: null,
      events,
      consecutiveFailures: 0,
      error: null,
    }),
  };
}
