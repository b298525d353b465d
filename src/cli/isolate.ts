/**
 * `--timeout`: the command runs in a worker thread while this thread keeps the clock. The
 * analysis and the wrapper are synchronous JavaScript, so nothing inside the run can stop an
 * endless loop; terminating the worker can. Output reaches the real stdout and stderr through
 * messages, in order. When the time is up the worker is terminated and the run exits 5 if the
 * wrapper was running (an endless loop in user code), else 1 (the analysis took too long).
 *
 * The worker also contains what the fence (fence.ts) cannot: a `process.exit` or an uncaught
 * exception from user code outside its calls (a timer the wrapper set) ends the worker, not the
 * process, and is reported.
 */
import { Worker } from "node:worker_threads";
import { describeThrown, EXIT } from "./errors.js";
import type { CliIO } from "./io.js";

/** The default --timeout in seconds: generous (one hour); a run that takes longer is stuck or too big. */
export const DEFAULT_TIMEOUT_S = 3600;

/** A message from the worker. */
export type WorkerMessage =
  | { kind: "started" }
  | { kind: "stdout"; text: string }
  | { kind: "stderr"; text: string }
  | { kind: "done"; code: number };

/** What the worker needs to run one command line. */
export interface WorkerInput {
  argv: string[];
  cwd: string;
  stderrIsTTY: boolean;
  columns?: number;
  /** Int32Array over it: 1 while user code (the wrapper) runs. */
  flag: SharedArrayBuffer;
}

/**
 * The worker: dist/cli/worker.js, or from source (tsx src/cli/main.ts) worker.ts behind tsx's
 * loader, which a worker thread does not inherit from its parent.
 */
function startWorker(data: WorkerInput): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./worker.js", import.meta.url), { workerData: data });
  const tsx = import.meta.resolve("tsx/esm/api");
  const worker = new URL("./worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(worker)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

/**
 * Runs `argv` in a worker thread with a time limit; resolves to the exit code.
 *
 * @example
 * process.exitCode = await runIsolated(["analyze", "m.keras", "-d", "d.csv"], nodeIO(), 60, "analyze", null);
 */
export function runIsolated(
  argv: readonly string[],
  io: CliIO,
  timeoutSeconds: number,
  command: string,
  wrapper: string | null,
): Promise<number> {
  const flag = new SharedArrayBuffer(4);
  const data: WorkerInput = {
    argv: [...argv],
    cwd: io.cwd,
    stderrIsTTY: io.stderrIsTTY,
    ...(io.columns !== undefined ? { columns: io.columns } : {}),
    flag,
  };
  const worker = startWorker(data);
  const inUserCode = () => Atomics.load(new Int32Array(flag), 0) === 1;
  const fail = (message: string, code: number) => {
    io.stderr(`gradlens ${command}: ${message}\n`);
    return code;
  };
  return new Promise<number>((resolve) => {
    let result: number | null = null;
    let failure: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The clock starts when the worker has loaded gradlens: the limit is on the run, not on startup.
    const startClock = () =>
      (timer = setTimeout(() => {
        const blameWrapper = wrapper !== null && inUserCode();
        failure = blameWrapper
          ? fail(
              `stopped after --timeout ${timeoutSeconds} s while the wrapper ${wrapper} was running (an endless loop?)`,
              EXIT.wrapper,
            )
          : fail(
              `stopped after --timeout ${timeoutSeconds} s: the run did not finish in time ` +
                "(raise --timeout, or analyse fewer rows or samples)",
              EXIT.analysis,
            );
        void worker.terminate();
      }, timeoutSeconds * 1000));
    worker.on("message", (m: WorkerMessage) => {
      if (m.kind === "started") startClock();
      else if (m.kind === "stdout") io.stdout(m.text);
      else if (m.kind === "stderr") io.stderr(m.text);
      else result = m.code;
    });
    worker.on("error", (e) => {
      if (timer === undefined) {
        // The worker did not start: our bug, not the wrapper's.
        failure ??= fail(`internal error: cannot start the run: ${describeThrown(e)}`, EXIT.internal);
        return;
      }
      failure ??= wrapper
        ? fail(`the wrapper ${wrapper} raised an uncaught ${describeThrown(e)}`, EXIT.wrapper)
        : fail(`internal error: ${describeThrown(e)}`, EXIT.internal);
    });
    worker.on("exit", (exitCode) => {
      clearTimeout(timer);
      if (failure !== null) return resolve(failure);
      if (result !== null) return resolve(result);
      resolve(
        wrapper
          ? fail(
              `the run ended early with process.exit(${exitCode}), called by the wrapper ${wrapper} outside its function call; no output was written`,
              EXIT.wrapper,
            )
          : fail(`internal error: the run ended early (exit ${exitCode})`, EXIT.internal),
      );
    });
  });
}
