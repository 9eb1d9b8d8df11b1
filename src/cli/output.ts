// The only place that writes to stdout/stderr, so every command prints the same way.
import { ERROR_CODES, isRosterError } from '../domain/errors.ts';
import type { CliIo, CliStream, CliTerminal } from './cli-io.ts';
import { makeStyle, type Style } from './render/style.ts';

export interface Output {
  json: boolean;
  style: Style;
  /** A person is watching stderr: progress bars and colours make sense. */
  interactive: boolean;
  /** Where progress bars draw themselves (stderr). */
  progressStream: CliStream;
  /** Where a person answers questions; null without a terminal (scripts must say --yes). */
  terminal: CliTerminal | null;
  print(text: string): void;
  printJson(value: unknown): void;
  note(text: string): void;
}

export function makeOutput(io: CliIo, opts: { json?: boolean }): Output {
  const interactive = io.stderr.isTTY && !opts.json;
  const style = makeStyle(io.stdout.isTTY && !io.env.NO_COLOR && !opts.json);
  return {
    json: Boolean(opts.json),
    style,
    interactive,
    progressStream: io.stderr,
    terminal: io.terminal,
    print: (text) => io.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    printJson: (value) => io.stdout.write(JSON.stringify(value, null, 2) + '\n'),
    note: (text) => io.stderr.write(text + '\n'),
  };
}

/** Errors name their code, what happened and what to do; with --json they go to stdout as data too. */
export function printError(out: Output, e: unknown): void {
  if (isRosterError(e)) {
    if (out.json)
      out.printJson({
        error: {
          code: e.code,
          message: e.message,
          action: e.action,
          retryable: e.retryable,
          details: e.details ?? null,
        },
      });
    out.note(`${out.style.red(`error ${e.code}`)}: ${e.message}\n  what to do: ${e.action}`);
    return;
  }
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  if (out.json)
    out.printJson({
      error: { code: 'ROSTER_INTERNAL', message: String(e), action: ERROR_CODES.ROSTER_INTERNAL.action },
    });
  out.note(
    `${out.style.red('error ROSTER_INTERNAL')}: ${message}\n  what to do: ${ERROR_CODES.ROSTER_INTERNAL.action}`,
  );
}
