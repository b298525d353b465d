/**
 * The CLI's view of its process: where text goes, whether stderr is a terminal, the working
 * directory and a clock. Tests pass an in-memory implementation to `main(argv, io)`.
 */

/**
 * Everything the CLI touches outside of files.
 *
 * @example
 * const io: CliIO = { ...nodeIO(), stdout: (text) => lines.push(text) };
 * await main(["--help"], io);
 */
export interface CliIO {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  stderrIsTTY: boolean;
  /** Terminal width, if known. */
  columns?: number;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Milliseconds, monotonic. */
  now(): number;
}

let epipeHandled = false;

/**
 * The real process: `process.stdout`/`stderr`, `process.cwd()`.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), nodeIO());
 */
export function nodeIO(): CliIO {
  // `gradlens … | head` closes the pipe early: stop quietly, as Unix tools do.
  if (!epipeHandled) {
    epipeHandled = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns,
    cwd: process.cwd(),
    now: () => performance.now(),
  };
}

/**
 * An in-memory IO for tests and embedding: collects stdout and stderr.
 *
 * @example
 * const io = memoryIO({ cwd: "/work" });
 * await main(["--help"], io);
 * io.out(); // the help text
 */
export function memoryIO(opts: { cwd?: string; tty?: boolean; columns?: number } = {}): CliIO & {
  out(): string;
  err(): string;
} {
  let out = "";
  let err = "";
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stderrIsTTY: opts.tty ?? false,
    columns: opts.columns ?? 100,
    cwd: opts.cwd ?? process.cwd(),
    now: () => performance.now(),
    out: () => out,
    err: () => err,
  };
}
