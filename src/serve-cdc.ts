// Builds the Change Data Capture feed (Pub/Sub API over gRPC) from the config.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SalesforceCdcFeed } from './adapters/salesforce/cdc/salesforce-cdc-feed.ts';
import type { ServiceFeed, ServiceLog } from './app/roster-service.ts';
import type { RosterConfig } from './config/config-schema.ts';
import { RosterError } from './domain/errors.ts';
import type { Clock } from './ports/clock.ts';

/** CDC keeps the stream alive with an empty response at least every 270 s (Pub/Sub API). */
const CDC_KEEPALIVE_MS = 270_000;

export async function cdcFeed(config: RosterConfig, clock: Clock, log: ServiceLog): Promise<ServiceFeed> {
  const cdc = config.feeds.cdc;
  let caPem: string | undefined;
  if (cdc.caFile) {
    try {
      caPem = await readFile(resolve(cdc.caFile), 'utf8');
    } catch (e) {
      throw new RosterError('ROSTER_CONFIG_INVALID', `feeds.cdc.caFile: cannot read ${cdc.caFile}`, {
        cause: e,
      });
    }
  }
  return {
    feed: new SalesforceCdcFeed({
      loginUrl: config.salesforce.loginUrl,
      apiVersion: config.salesforce.apiVersion,
      auth: config.salesforce.auth,
      pubsubAddress: cdc.address,
      caPem,
      topic: cdc.topic,
      clock,
      log,
    }),
    intervalMs: CDC_KEEPALIVE_MS,
  };
}
