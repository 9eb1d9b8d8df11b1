// The one error registry. Tests assert on codes, never on messages. Each code says whether retrying
// can help, what an operator should do about it, and how the shells report it: the HTTP status of an
// API answer (default 500) and the CLI's exit code (default EXIT.ERROR).
import { EXIT, type ExitCode } from './exit-codes.ts';

interface ErrorSpec {
  retryable: boolean;
  action: string;
  http?: number;
  exit?: ExitCode;
}

export const ERROR_CODES = {
  ROSTER_CONFIG_INVALID: {
    retryable: false,
    action: 'Fix the fields listed in roster.yaml and run again.',
    exit: EXIT.CONFIG,
  },
  ROSTER_CONFIG_NOT_FOUND: {
    retryable: false,
    action: 'Pass --config PATH or create roster.yaml (see README).',
    exit: EXIT.CONFIG,
  },
  ROSTER_SALESFORCE_AUTH: {
    retryable: false,
    action:
      'Check salesforce.auth (client id/secret or JWT key and username) and that the app is approved for the user.',
  },
  ROSTER_SALESFORCE_QUERY: {
    retryable: false,
    action:
      'Check scope, match and rules in roster.yaml: a field name or SOQL condition is wrong for this org.',
  },
  ROSTER_SALESFORCE_LIMIT: {
    retryable: true,
    action: "The org's API limit is used up (REQUEST_LIMIT_EXCEEDED); wait for it to recover or raise it.",
  },
  ROSTER_SALESFORCE_UNAVAILABLE: {
    retryable: true,
    action: 'Salesforce did not answer; check loginUrl and the network, then retry.',
  },
  ROSTER_DOCEBO_AUTH: {
    retryable: false,
    action:
      'Check docebo.auth: the OAuth2 app must exist, allow this grant type and the credentials must be current.',
  },
  ROSTER_DOCEBO_FORBIDDEN: {
    retryable: false,
    action:
      'The Docebo API user lacks a permission; use a superadmin-owned OAuth2 app (see README, permissions).',
  },
  ROSTER_DOCEBO_RATE_LIMITED: {
    retryable: true,
    action: 'Docebo answered 429; Roster backs off by itself. Lower other API use if it persists.',
  },
  ROSTER_DOCEBO_UNAVAILABLE: {
    retryable: true,
    action:
      'Docebo answered 5xx or did not answer; Roster retries. Check the platform status if it persists.',
  },
  ROSTER_DOCEBO_UNREACHABLE: {
    retryable: true,
    action:
      'Roster could not connect to Docebo: check docebo.baseUrl in roster.yaml (scheme, host, port) and that this host can reach it (DNS, firewall, proxy).',
  },
  ROSTER_DOCEBO_REJECTED: {
    retryable: false,
    action: 'Docebo refused this change (see the message); fix the user in Docebo or the data in Salesforce.',
  },
  ROSTER_DOCEBO_BAD_RESPONSE: {
    retryable: true,
    action: 'Docebo answered with something Roster cannot read; report it with the call named.',
  },
  ROSTER_DOCEBO_BUDGET_EXHAUSTED: {
    retryable: true,
    action:
      'The hourly Docebo call budget is spent; the rest waits for the next window (docebo.callsPerHour).',
  },
  ROSTER_STORE_UNAVAILABLE: {
    retryable: true,
    action: 'Check the store setting (SQLite path or PostgreSQL URL) and that the database is up.',
    http: 503,
  },
  ROSTER_STORE_CONFLICT: {
    retryable: false,
    action:
      'The stored state forbids this change (e.g. applying a plan twice); make a fresh plan with `roster plan` and apply that.',
    http: 409,
  },
  ROSTER_PLAN_NOT_FOUND: {
    retryable: false,
    action: 'List plans with `roster plans`, or create one with `roster plan --save`.',
    http: 404,
  },
  ROSTER_PLAN_STALE: {
    retryable: false,
    action: 'Salesforce or Docebo changed since the plan was made; run `roster plan` again.',
    http: 409,
  },
  ROSTER_WRITER_BUSY: {
    retryable: true,
    action:
      'Another Roster process is writing to Docebo (named in the message). Wait for it (`--wait`), or stop it; next to `roster serve`, let the service do the work (`roster status`).',
    http: 409,
  },
  ROSTER_WRITER_LOST: {
    retryable: true,
    action:
      'Roster lost its writer lease (the store did not answer in time, or another process took over) and stopped writing; run it again.',
  },
  ROSTER_SERVICE_UNREACHABLE: {
    retryable: true,
    action: 'Start `roster serve` (or check serve.host/serve.port in roster.yaml), then try again.',
  },
  ROSTER_ABORTED: { retryable: false, action: 'Nothing was changed.' },
  ROSTER_INTERRUPTED: {
    retryable: true,
    action:
      'Roster stopped before Docebo confirmed this change; the next apply plans it again if it is still needed.',
  },
  ROSTER_UNAUTHORIZED: {
    retryable: false,
    action:
      'Send `Authorization: Bearer <token>` with the admin token roster serve was started with (serve.adminToken).',
    http: 401,
  },
  ROSTER_REQUEST_INVALID: {
    retryable: false,
    action: 'Fix the request field named in the message (see the admin API in README) and send it again.',
    http: 400,
  },
  ROSTER_INTERNAL: { retryable: false, action: 'A bug in Roster; report it with the log line.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

const spec = (code: ErrorCode): ErrorSpec => ERROR_CODES[code];

/** The HTTP status an API answers this error with. */
export const httpStatusOf = (code: ErrorCode): number => spec(code).http ?? 500;

/** The exit code the CLI ends with on this error. */
export const exitCodeOf = (code: ErrorCode): ExitCode => spec(code).exit ?? EXIT.ERROR;

/** Serialisable form, used for per-item failures (which are data, not exceptions). */
export interface RosterErrorData {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

export class RosterError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly action: string;
  /** Extra structured detail for --json output (e.g. config problems). */
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown; retryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'RosterError';
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.action = ERROR_CODES[code].action;
    this.details = options.details;
  }

  toData(): RosterErrorData {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isRosterError(e: unknown): e is RosterError {
  return e instanceof RosterError;
}

export function errorData(e: unknown): RosterErrorData {
  if (isRosterError(e)) return e.toData();
  return { code: 'ROSTER_INTERNAL', message: e instanceof Error ? e.message : String(e), retryable: false };
}
