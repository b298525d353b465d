/**
 * The pass over the data that the streaming analyses share: per-sample outputs and derivatives,
 * batch by batch, handed to accumulators (summary, DGSM, retained rows). Only one batch of
 * derivatives is alive at a time; what the accumulators keep is bounded separately (see
 * `Summarizer` for quantiles).
 */
import type { Context } from "./context.js";
import { pointsFromRange } from "./prepare.js";

export type { BatchConsumer, DerivativeBatch } from "./batch.js";
import type { BatchConsumer, DerivativeBatch } from "./batch.js";

/** Computes outputs and derivatives of all rows, batch by batch, and feeds each batch to every consumer. */
export function derivativePass(
  ctx: Context,
  secondOrder: boolean,
  consumers: readonly BatchConsumer[],
): void {
  const { prep, engine } = ctx;
  const bs = engine.batchSize;
  for (let start = 0; start < prep.n; start += bs) {
    const count = Math.min(bs, prep.n - start);
    const pts = pointsFromRange(prep, start, count);
    const { values, jac } = engine.valuesAndJacobian(pts);
    const batch: DerivativeBatch = {
      start,
      count,
      z: pts.z,
      rest: pts.rest,
      values,
      jac,
      hess: secondOrder ? engine.hessian(pts) : null,
    };
    for (const c of consumers) c.add(batch);
    ctx.progress("derivatives", start + count, prep.n);
  }
}
