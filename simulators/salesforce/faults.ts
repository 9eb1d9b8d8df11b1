// Scripted failures: `respond` entries answer the next matching requests with a status (and a
// Salesforce error body) instead of doing the work, each `times` times, in order.
import type { SfErrorBody } from './sf-errors.ts';

export interface FaultSpec {
  status: number;
  times?: number;
  errorCode?: string;
  message?: string;
  /** Only requests whose path contains this text (default: every non-admin request). */
  path?: string;
}

const DEFAULTS: Record<number, SfErrorBody> = {
  400: { errorCode: 'MALFORMED_QUERY', message: 'simulated bad request' },
  401: { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
  403: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
  404: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  420: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
  500: {
    errorCode: 'UNKNOWN_EXCEPTION',
    message:
      'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  },
  503: { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' },
};

export class FaultQueue {
  private queue: { spec: FaultSpec; left: number }[] = [];

  add(specs: FaultSpec[]): void {
    for (const spec of specs) {
      if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
        throw new Error(`fault: status must be an HTTP status, got ${String(spec.status)}`);
      }
      this.queue.push({ spec, left: spec.times ?? 1 });
    }
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault for this request, if one is queued; consumes one use. */
  take(path: string): { status: number; body: SfErrorBody[] } | null {
    const entry = this.queue.find(
      (e) => e.left > 0 && (e.spec.path === undefined || path.includes(e.spec.path)),
    );
    if (!entry) return null;
    entry.left -= 1;
    this.queue = this.queue.filter((e) => e.left > 0);
    const fallback = DEFAULTS[entry.spec.status] ?? {
      errorCode: `HTTP_${entry.spec.status}`,
      message: 'simulated failure',
    };
    return {
      status: entry.spec.status,
      body: [
        {
          errorCode: entry.spec.errorCode ?? fallback.errorCode,
          message: entry.spec.message ?? fallback.message,
        },
      ],
    };
  }
}
