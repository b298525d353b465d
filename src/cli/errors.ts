/**
 * Exit codes scripts can rely on, and the error classes that carry them. Every failure the CLI
 * reports maps to exactly one code; messages name the file, column, input or option at fault.
 */
import { GradlensError } from "../core/errors.js";
import { ModelFormatError, UnsupportedLayerError } from "../io/errors.js";

/** The CLI's exit codes (also listed in `gradlens --help` and the README). */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The analysis ran and found a problem (verification failed), or could not run on this target. */
  analysis: 1,
  /** Bad command line: unknown command or option, missing or malformed value. */
  usage: 2,
  /** An input data file is missing, unreadable or malformed, or does not fit the model's inputs. */
  data: 3,
  /** The model file is missing, unreadable, malformed or uses an unsupported layer. */
  model: 4,
  /** The --wrap module cannot be imported, exports no wrapper function, throws, exits or runs past --timeout. */
  wrapper: 5,
  /** An output file (--json, --html, --out) cannot be written. */
  output: 6,
  /** A bug in gradlens (an unexpected exception); please report it with the command line. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The help text's table of exit codes. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0   success",
  "  1   verification failed, or the analysis could not run on this target/data",
  "  2   usage error (unknown command or option, bad option value, an output that is an input)",
  "  3   input data error (missing/malformed file, unknown column, shape does not fit the model)",
  "  4   model file error (missing, malformed, unsupported layer)",
  "  5   wrapper module error (--wrap cannot be imported, exports no function, throws, exits, times out)",
  "  6   cannot write an output file",
  "  70  internal error (a bug; please report it)",
].join("\n");

/** An error the CLI reports as one message and one exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
    /** Show "run `gradlens <command> --help`" after the message (usage errors). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A bad command line (exit 2). @example throw usageError("--batch-size must be a positive integer, got 'x'", "analyze") */
export const usageError = (message: string, command?: string) =>
  new CliError(message, EXIT.usage, command ? `run 'gradlens ${command} --help' for the options` : undefined);

/** A data problem (exit 3). @example throw dataError("data.csv line 4, column 'rate': 'abc' is not a number") */
export const dataError = (message: string) => new CliError(message, EXIT.data);

/** A model file problem (exit 4). */
export const modelError = (message: string) => new CliError(message, EXIT.model);

/** A wrapper module problem (exit 5). */
export const wrapperError = (message: string) => new CliError(message, EXIT.wrapper);

/** An output file problem (exit 6). */
export const outputError = (message: string) => new CliError(message, EXIT.output);

/**
 * A thrown value as text, whatever it is: `null`, a string, an object whose getters throw.
 *
 * @example
 * describeThrown(null); // "null"
 */
export function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) {
      const name = (() => {
        try {
          return String(e.name);
        } catch {
          return "Error";
        }
      })();
      const message = (() => {
        try {
          return String(e.message);
        } catch {
          return "(its message cannot be read)";
        }
      })();
      return message ? `${name}: ${message}` : name;
    }
  } catch {
    // instanceof itself can throw (a Proxy): fall through.
  }
  try {
    if (e === null || e === undefined) return String(e);
    if (typeof e === "string") return JSON.stringify(e.length > 200 ? `${e.slice(0, 200)}…` : e);
    if (typeof e !== "object" && typeof e !== "function") return `${typeof e} ${String(e)}`;
    const s = String(e);
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return "a value that cannot be turned into text";
  }
}

/**
 * Maps any thrown value to a CLI error: CliErrors keep their code, model-format errors are 4,
 * gradlens errors raised while analysing are 1, anything else is an internal error (70).
 */
export function toCliError(e: unknown, stage: "model" | "analysis" = "analysis"): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof ModelFormatError || e instanceof UnsupportedLayerError)
    return new CliError(e.message, EXIT.model);
  if (e instanceof GradlensError)
    return new CliError(
      stage === "model" ? e.message : `analysis failed: ${e.message}`,
      stage === "model" ? EXIT.model : EXIT.analysis,
    );
  let stack: string | undefined;
  try {
    stack = e instanceof Error && typeof e.stack === "string" ? e.stack : undefined;
  } catch {
    // A getter that throws: describeThrown copes.
  }
  return new CliError(`internal error: ${stack ?? describeThrown(e)}`, EXIT.internal);
}
