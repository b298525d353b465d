/**
 * The shared starting point of every analysis: a prepared target, its derivative engine, and a
 * progress reporter. Building one checks that the target is row-independent.
 */
import { ValueError } from "../../core/errors.js";
import type { InputData } from "./data.js";
import { Engine } from "./engine.js";
import { pointsFromRange, prepare, type LayoutOptions, type Prepared } from "./prepare.js";
import type { Target } from "./target.js";

/**
 * The phase of an analysis a progress report is about.
 *
 * @example
 * const onProgress = (p: Progress) => p.stage === "derivatives" && bar.update(p.done / p.total);
 */
export type Stage =
  | "derivatives"
  | "attribution"
  | "verification"
  | "whatif"
  | "predict"
  // analyze marks each section's finish with its key (0 of 1 when it starts, 1 of 1 when done).
  | "perSample"
  | "summary"
  | "dgsm"
  | "interactions"
  | "effects"
  | "sobol"
  | "constraints";

/**
 * A progress report: `done` of `total` rows (or samples) of `stage`.
 *
 * @example
 * analyze(model, data, { onProgress: ({ stage, done, total }) => console.log(`${stage} ${done}/${total}`) });
 */
export interface Progress {
  done: number;
  total: number;
  stage: Stage;
}

/**
 * Called after each batch of each stage.
 *
 * @example
 * const log: ProgressCallback = ({ stage, done, total }) => console.log(stage, done, total);
 */
export type ProgressCallback = (progress: Progress) => void;

/**
 * Options every entry point accepts.
 *
 * @example
 * dgsm(model, data, { batchSize: 256, wrt: ["features"], onProgress: console.log });
 */
export interface CommonOptions extends LayoutOptions {
  /** Rows per batch; bounds memory. Default 1024. */
  batchSize?: number;
  /**
   * Compile the per-batch computation once per batch shape and re-run it (default true), or run
   * it eagerly (false: the same numbers, slower; for debugging a target).
   */
  jit?: boolean;
  onProgress?: ProgressCallback;
}

export interface Context {
  prep: Prepared;
  engine: Engine;
  progress(stage: Stage, done: number, total: number): void;
}

export const DEFAULT_BATCH_SIZE = 1024;

/**
 * Prepares the target and data, and checks row independence on the first rows. Every entry point
 * (`analyze`, `derivatives`, each method, the CLI) starts here; `who` names it in error messages.
 */
export function createContext(
  target: Target,
  data: InputData,
  opts: CommonOptions = {},
  who = "analyze",
): Context {
  const prep = prepare(target, data, opts, who);
  const engine = new Engine(prep, opts.batchSize ?? DEFAULT_BATCH_SIZE, { jit: opts.jit });
  checkRowIndependence(prep, engine);
  const cb = opts.onProgress;
  return { prep, engine, progress: (stage, done, total) => cb?.({ done, total, stage }) };
}

/**
 * A row-independent target gives each sample the same output in a batch as alone. Compares the
 * batched call with the vmapped single-sample function on the first rows; a relative difference
 * above 1e-8 cannot be rounding (both are float64 over the same operations).
 */
function checkRowIndependence(prep: Prepared, engine: Engine): void {
  const m = Math.min(prep.n, 8);
  if (m < 2) return;
  const pts = pointsFromRange(prep, 0, m);
  const batched = engine.values(pts);
  const alone = engine.singleValues(pts);
  for (let i = 0; i < batched.length; i++) {
    const a = batched[i];
    const b = alone[i];
    // Equal infinities (log(0) alone and in a batch) and NaN pairs agree; |a − b| would be NaN.
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!(Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(a), Math.abs(b)))) {
      const row = Math.floor(i / prep.k);
      const comp = prep.outputs.components[i % prep.k].name;
      throw new ValueError(
        `${prep.who}: the target is not row-independent: output '${comp}' of sample ${row} is ${a} when evaluated ` +
          `in a batch of ${m} but ${b} alone. Each sample's output must depend only on that sample ` +
          `(layers such as batch normalisation in training mode mix samples).`,
      );
    }
  }
}
