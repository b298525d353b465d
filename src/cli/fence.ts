/**
 * The fence around user code (the `--wrap` module: its import and every call of its function).
 * While user code runs:
 *
 * - `process.exit(code)` throws instead of ending the process, and the CLI reports it (exit 5):
 *   a wrapper must not end a run before its outputs are written;
 * - anything written to standard output (`console.log`, `process.stdout.write`) goes to standard
 *   error, so machine-readable output on stdout (`--json -`, `--out -`) stays parseable;
 * - a shared flag says user code is running, so a run stopped by `--timeout` (see isolate.ts)
 *   can blame the wrapper (exit 5) rather than the analysis (exit 1).
 *
 * Everything is restored when the user code returns or throws.
 */
import { wrapperError } from "./errors.js";

/** Thrown by the fenced `process.exit`. */
export class FencedExit extends Error {
  constructor(readonly exitCode: number | string | null | undefined) {
    super(`process.exit(${exitCode === undefined ? "" : String(exitCode)})`);
    this.name = "FencedExit";
  }
}

/** Set to 1 while user code runs; shared with the thread that enforces --timeout. */
let inUserCode: Int32Array | null = null;

/**
 * Shares the "user code is running" flag with another thread (the --timeout supervisor).
 *
 * @example
 * shareFenceFlag(new Int32Array(new SharedArrayBuffer(4)));
 */
export function shareFenceFlag(flag: Int32Array): void {
  inUserCode = flag;
}

let depth = 0;

/**
 * Runs `run` (user code) inside the fence; see the module comment. `label` names the user code in
 * the error when it calls `process.exit`.
 *
 * @example
 * const out = fenced("the wrapper w.mjs", (t) => process.stderr.write(t), () => wrap(model, inputs));
 */
export function fenced<T>(label: string, stderr: (text: string) => void, run: () => T): T {
  const restore = enter(stderr);
  let result: T;
  try {
    result = run();
  } catch (error) {
    throw leave(label, restore, { error });
  }
  leave(label, restore);
  return result;
}

/**
 * `fenced` for asynchronous user code (importing the wrapper module).
 *
 * @example
 * const mod = await fencedAsync("wrapper module w.mjs", write, () => import(url));
 */
export async function fencedAsync<T>(
  label: string,
  stderr: (text: string) => void,
  run: () => Promise<T>,
): Promise<T> {
  const restore = enter(stderr);
  let result: T;
  try {
    result = await run();
  } catch (error) {
    throw leave(label, restore, { error });
  }
  leave(label, restore);
  return result;
}

/**
 * Leaves the fence: a `process.exit` inside it (thrown, or only recorded) becomes a wrapper error;
 * after a failure, returns what to throw (any other failure passes through).
 */
function leave(label: string, restore: () => FencedExit | null, failure?: { error: unknown }): unknown {
  const exited = restore();
  if (failure) return failure.error instanceof FencedExit ? exitError(label, failure.error) : failure.error;
  if (exited) throw exitError(label, exited);
  return undefined;
}

const exitError = (label: string, e: FencedExit) =>
  wrapperError(
    `${label} called process.exit(${e.exitCode === undefined ? "" : String(e.exitCode)}); ` +
      "a wrapper must return its result (or throw), not end the process",
  );

/** Installs the fence (re-entrant); the returned function removes it and reports an attempted exit. */
function enter(stderr: (text: string) => void): () => FencedExit | null {
  if (depth++ > 0)
    return () => {
      depth--;
      return null;
    };
  const exit = process.exit;
  const write = process.stdout.write;
  let attempted: FencedExit | null = null;
  process.exit = ((code?: number | string | null) => {
    attempted = new FencedExit(code);
    throw attempted;
  }) as typeof process.exit;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    stderr(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  if (inUserCode) Atomics.store(inUserCode, 0, 1);
  return () => {
    depth--;
    process.exit = exit;
    process.stdout.write = write;
    if (inUserCode) Atomics.store(inUserCode, 0, 0);
    return attempted;
  };
}
