// Builds the change feeds roster.yaml enables (src/feeds/index.ts lists them all). Outbound messages
// are an HTTP endpoint, so besides its feed it contributes a plugin to the server.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServiceFeed } from '../app/service/roster-service.ts';
import type { RosterConfig } from '../config/config-schema.ts';
import { RosterError } from '../domain/errors.ts';
import type { FeedHealth } from '../domain/work.ts';
import type { ChangeFeed, FeedSink } from '../ports/change-feed.ts';
import type { Clock } from '../ports/clock.ts';
import type { CrmSource } from '../ports/crm-source.ts';
import type { Logger } from '../ports/logger.ts';
import type { ServerDeps } from '../server/server-deps.ts';
import { pubSubLogin } from './connect.ts';

/** CDC keeps the stream alive with an empty response at least every 270 s (Pub/Sub API). */
const CDC_KEEPALIVE_MS = 270_000;

export interface BuiltFeeds {
  feeds: ServiceFeed[];
  /** HTTP endpoints of push feeds; they deliver to `sink` once the service exists. */
  plugins: NonNullable<ServerDeps['plugins']>;
}

export async function buildFeeds(
  config: RosterConfig,
  deps: { crm: CrmSource; clock: Clock; log: Logger; sink: FeedSink },
): Promise<BuiltFeeds> {
  const { clock, log } = deps;
  const feeds: ServiceFeed[] = [];
  const plugins: BuiltFeeds['plugins'] = [];
  const poll = config.feeds.poll;
  if (poll.enabled) {
    const { PollFeed } = await import('../feeds/poll/poll-feed.ts');
    feeds.push({
      feed: new PollFeed({
        crm: deps.crm,
        clock,
        intervalMs: poll.interval,
        overlapMs: poll.overlap,
        slowDownAbove: poll.slowDownAbovePercent / 100,
        log,
      }),
      intervalMs: poll.interval,
    });
  }
  const cdc = config.feeds.cdc;
  if (cdc.enabled) {
    // gRPC and Avro load only when CDC is on.
    const { SalesforceCdcFeed } = await import('../feeds/cdc/salesforce-cdc-feed.ts');
    feeds.push({
      feed: new SalesforceCdcFeed({
        pubsubAddress: cdc.address,
        ...(cdc.caFile ? { caPem: await readCa(cdc.caFile) } : {}),
        topic: cdc.topic,
        clock,
        log,
        login: pubSubLogin(config),
      }),
      intervalMs: CDC_KEEPALIVE_MS,
    });
  }
  const om = config.feeds.outboundMessages;
  if (om.enabled) {
    const { createOutboundHealth, outboundMessagesPlugin } = await import('../feeds/index.ts');
    const health = createOutboundHealth(clock);
    feeds.push({ feed: inboundFeed('outbound', () => health.health()), intervalMs: null });
    plugins.push(
      outboundMessagesPlugin({
        path: om.path,
        organizationId: om.organizationId,
        secret: om.secret,
        sink: deps.sink,
        now: () => clock.now(),
        log,
        onDelivery: (accepted, duplicates) => health.record(accepted, duplicates),
        onRefused: (status, reason) => health.refused(status, reason),
      }),
    );
  }
  return { feeds, plugins };
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(resolve(file), 'utf8');
  } catch (e) {
    throw new RosterError('ROSTER_CONFIG_INVALID', `feeds.cdc.caFile: cannot read ${file}`, { cause: e });
  }
}

/** A feed Salesforce pushes to (outbound messages): nothing to start, only health to report. */
function inboundFeed(name: 'outbound', health: () => FeedHealth): ChangeFeed {
  return { name, start: async () => undefined, stop: async () => undefined, health };
}
