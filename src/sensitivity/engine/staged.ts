/**
 * The engine's per-batch functions, compiled with `jit` once per input signature (the batch's
 * row count, the constant inputs' dtypes) and re-run on every batch of that shape. A ragged last
 * batch is compiled once more at its own size, not padded: the program then sees exactly the
 * shapes the eager call would, so its results are the eager call's bits (jit's guarantee), and
 * no padding row can reach a statistic. A full pass compiles a handful of programs, not one per
 * batch.
 */
import { jit, type Jitted } from "../../api/jit.js";
import { TracerError } from "../../core/errors.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/**
 * `f` compiled per signature when `enabled`, or called eagerly. A target that cannot be staged
 * (it reads the values of its inputs, so its operations depend on the data) throws a
 * `TracerError` while being staged; then this function runs eagerly from then on, where the
 * same target either works (a plain batched call) or fails with the same error it always did
 * (under `vmap`).
 *
 * @example
 * const run = stagedBatch((z: Tensor) => vmap(single)(z), true);
 * run.call(zBatch); run.call(zBatch2); // one compilation for one shape
 */
export class StagedBatch<F extends AnyFn> {
  private jitted: Jitted<F> | null;

  constructor(
    private readonly f: F,
    enabled: boolean,
  ) {
    this.jitted = enabled ? jit(f) : null;
  }

  /** Whether calls go through compiled programs (false when disabled or after a staging failure). */
  get compiled(): boolean {
    return this.jitted !== null;
  }

  call(...args: Parameters<F>): ReturnType<F> {
    const j = this.jitted;
    if (j === null) return this.f(...args) as ReturnType<F>;
    try {
      return j(...args) as ReturnType<F>;
    } catch (e) {
      if (!(e instanceof TracerError)) throw e;
      j.clearCache();
      this.jitted = null;
      return this.f(...args) as ReturnType<F>;
    }
  }
}

/**
 * Shorthand for `new StagedBatch(f, enabled)`.
 *
 * @example
 * const hess = stagedBatch(vmap(hessian(single)), opts.jit !== false);
 */
export function stagedBatch<F extends AnyFn>(f: F, enabled: boolean): StagedBatch<F> {
  return new StagedBatch(f, enabled);
}
