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

/**
 * The call is carried out, then its 2xx answer reaches the client unreadable: cut off half-way (a dropped
 * connection, a proxy's buffer) or replaced by an HTML page (a gateway that answers 200 on its own).
 */
export interface UnreadableAnswer {
  times: number;
  /** Only calls whose path starts with this prefix; every API call when absent. */
  path?: string;
  how?: 'truncated' | 'html';
}

export interface Faults {
  respond: FaultResponse[];
  unreadable: UnreadableAnswer[];
  failEveryNthRow: number | null;
  failUsernames: string[];
  latencyMs: number;
  /**
   * Listing pages after the first start this many users earlier, as if that many users had been added
   * ahead of the reader between the first and the second page call: the last users of page 1 show up
   * again at the top of page 2.
   */
  pageOverlap: number;
}

export const noFaults = (): Faults => ({
  respond: [],
  unreadable: [],
  failEveryNthRow: null,
  failUsernames: [],
  latencyMs: 0,
  pageOverlap: 0,
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
  /**
   * A batch row's `expiration_date: ""` on an existing user: clears the date (default) or is ignored (the
   * date stays). The importer only says "the value can be empty"; what that does is not documented.
   */
  batchEmptyExpiration: 'clears' | 'ignored';
  /** A batch row's `expiration_date: null`: clears the date (default), is ignored, or fails the row. */
  batchNullExpiration: 'clears' | 'ignored' | 'rejected';
  /**
   * The shape of per-row batch results, which the reference marks uncertain:
   * - `workato` (default): `{row_index, success, message: "", output: {user_id, username}}`;
   * - `sparse`: success rows are `{row_index, success}` only; failures carry `message` as a string;
   * - `arrays`: `message` is always an array (`[]` on success), `output` is `[]` on success and absent on failure.
   */
  batchRowShape: 'workato' | 'sparse' | 'arrays';
}

export const defaultQuirks: DoceboQuirks = {
  retryAfterOn429: false,
  pageSizeOverMax: 'clamp',
  emptyDate: 'null',
  concurrentBatchStatus: 409,
  changeStatusExpired: 'not_updated',
  batchEmptyExpiration: 'clears',
  batchNullExpiration: 'clears',
  batchRowShape: 'workato',
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
