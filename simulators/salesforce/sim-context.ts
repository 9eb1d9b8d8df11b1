// What every route of one simulator instance shares.
import type { KeyObject } from 'node:crypto';
import type { FaultQueue } from './faults.ts';
import type { QueryService } from './query-service.ts';
import type { SalesforceState } from './salesforce-state.ts';

export interface CallRecord {
  method: string;
  path: string;
  status: number;
}

export interface SessionInfo {
  username: string;
  issuedAt: number;
}

export interface SimContext {
  state: SalesforceState;
  queries: QueryService;
  faults: FaultQueue;
  calls: CallRecord[];
  sessions: Map<string, SessionInfo>;
  apiUsage: { used: number; max: number };
  auth: { clientId?: string; clientSecret?: string; jwtPublicKey?: KeyObject };
  orgId: string;
  userId: string;
  baseUrl(): string;
}

export const MIN_VERSION = 31;
export const MAX_VERSION = 68;

/** `GET /services/data/` entries: v63.0 = Spring '25, three releases a year. */
export function versionList() {
  const out: { label: string; url: string; version: string }[] = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
    const k = v - 63;
    const season = ((k % 3) + 3) % 3;
    const year = 25 + Math.floor(k / 3) + (season === 2 ? 1 : 0);
    const name = ['Spring', 'Summer', 'Winter'][season] ?? 'Spring';
    out.push({
      label: `${name} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`,
    });
  }
  return out;
}
