// Where one run of the CLI reads and writes: the process's own streams for `roster`, buffers for tests
// that run the CLI in-process. Commands never reach for `process` themselves.

export type Env = Record<string, string | undefined>;

export interface CliStream {
  write(text: string): void;
  /** A person is watching: colours make sense on stdout, progress bars on stderr. */
  readonly isTTY: boolean;
  /** The terminal's width, when there is one (help text, progress bars). */
  readonly columns?: number;
}

/** A person who can answer questions: apply's confirmation, the menu of `demo --live`. */
export interface CliTerminal {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/** What a command knows of where it runs, besides its output. */
export interface CommandContext {
  readonly env: Env;
  /** Relative paths on the command line (`-c roster.yaml`, `--output FILE`) start here. */
  readonly cwd: string;
}

export interface CliIo extends CommandContext {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** null when nobody can answer (stdin is not a terminal): commands that would ask need --yes. */
  readonly terminal: CliTerminal | null;
}

function processStream(stream: NodeJS.WriteStream): CliStream {
  return {
    write: (text) => void stream.write(text),
    isTTY: Boolean(stream.isTTY),
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  };
}

/** The real process: its environment, working directory, stdout, stderr and terminal. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: processStream(process.stdout),
    stderr: processStream(process.stderr),
    terminal: process.stdin.isTTY ? { input: process.stdin, output: process.stderr } : null,
  };
}
