/**
 * The worker thread of an isolated run (isolate.ts): runs one command line with `main` and sends
 * its output and exit code to the parent.
 */
import { parentPort, workerData } from "node:worker_threads";
import { shareFenceFlag } from "./fence.js";
import type { CliIO } from "./io.js";
import type { WorkerInput, WorkerMessage } from "./isolate.js";
import { main } from "./main.js";

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
shareFenceFlag(new Int32Array(input.flag));
post({ kind: "started" });
const io: CliIO = {
  stdout: (text) => post({ kind: "stdout", text }),
  stderr: (text) => post({ kind: "stderr", text }),
  stderrIsTTY: input.stderrIsTTY,
  ...(input.columns !== undefined ? { columns: input.columns } : {}),
  cwd: input.cwd,
  now: () => performance.now(),
};
post({ kind: "done", code: await main(input.argv, io) });
