// Structured JSON logs for `roster serve`. They go to stderr because stdout belongs to CLI output
// (`--json` results must stay parseable while the service logs).
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { Logger as RosterLogger } from '../../ports/logger.ts';

export type LogLevel = LevelWithSilent;

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Defaults to stderr; tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ service: 'roster' }`. */
  base?: Record<string, unknown>;
}

// Secret-bearing keys at the top level, one level down (`fields.token`) and in request headers. pino's
// redaction is path based: a secret under another key name is the caller's bug, so callers log ids
// and origins, never URLs or config objects.
const SECRET_KEYS = [
  'authorization',
  'token',
  'secret',
  'password',
  'clientSecret',
  'adminToken',
  'privateKey',
];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
];

export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** The Logger port over pino. */
export interface LogFacade extends RosterLogger {
  /** Adds fields (run, job, plan ids) to every line of the child. */
  child(fields: object): LogFacade;
}

export function logFacade(logger: Logger): LogFacade {
  return {
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
    child: (fields) => logFacade(logger.child(fields)),
  };
}
