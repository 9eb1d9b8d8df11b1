// Shapes shared by the Docebo simulator's files: its options, seed users and the call log.

export interface SeedUser {
  username: string;
  email: string | null;
  first_name: string;
  last_name: string;
  active: boolean;
  expiration_date: string | null;
  /** Additional fields by Docebo key, e.g. `{ field_3: '0035g00000AbCdEAAV' }`. */
  fields?: Record<string, string | null>;
}

export interface CallRecord {
  method: string;
  path: string;
  status: number;
}

export interface FaultResponse {
  status: number;
  times: number;
  retryAfterSeconds?: number;
  /** Only calls whose path starts with this prefix; every API call when absent. */
  path?: string;
}

export interface Faults {
  respond: FaultResponse[];
  failEveryNthRow: number | null;
  failUsernames: string[];
  latencyMs: number;
}

export const noFaults = (): Faults => ({
  respond: [],
  failEveryNthRow: null,
  failUsernames: [],
  latencyMs: 0,
});

/**
 * Behaviours the reference marks uncertain [U]; each is a switch so tests can try both answers.
 */
export interface DoceboQuirks {
  /** Emit `Retry-After` (seconds) on rate-limit 429s; no source documents the header. Default false. */
  retryAfterOn429: boolean;
  /** What `page_size` above 200 does: clamp to 200 (default) or answer 400. */
  pageSizeOverMax: 'clamp' | 'error';
  /** How an empty expiration date is written in responses: `null` (default, as in the captured item) or `"0000-00-00"`. */
  emptyDate: 'null' | 'zero';
  /** HTTP status for a batch call made while another is running (no source shows the refusal). Default 409. */
  concurrentBatchStatus: number;
  /** `change_status` on an expired user: listed in `not_updated_ids` (default) or a 400 error. */
  changeStatusExpired: 'not_updated' | 'error';
}

export const defaultQuirks: DoceboQuirks = {
  retryAfterOn429: false,
  pageSizeOverMax: 'clamp',
  emptyDate: 'null',
  concurrentBatchStatus: 409,
  changeStatusExpired: 'not_updated',
};

export interface DoceboSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Leaky-bucket capacity and drain per hour; 0 = unlimited. Default 1000. */
  callsPerHour?: number;
  tokenTtlSeconds?: number;
  now?: () => Date;
  seedUsers?: SeedUser[];
  quiet?: boolean;
  quirks?: Partial<DoceboQuirks>;
  /** In code only: told of every API call as it arrives (status 0 until answered), so tests can wait on calls instead of polling. */
  onCall?: (call: CallRecord) => void;
}

export interface RunningDoceboSimulator {
  url: string;
  close(): Promise<void>;
  calls(): CallRecord[];
}
