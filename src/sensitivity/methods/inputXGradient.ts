/**
 * Input × Gradient: a_kj = x_j · ∂y_k/∂x_j (Shrikumar et al. 2016). For a linear model it equals
 * Integrated Gradients from a zero baseline.
 */
import {
  attributionTable,
  explained,
  standaloneRows,
  type AttributionRowsOptions,
  type Explained,
} from "./attributionCommon.js";
import { createContext, type Context } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { pointsFromRows } from "../engine/prepare.js";
import { subSeed } from "../stats/sampling.js";
import type { InputXGradientSection } from "../result/schema.js";
import type { Target } from "../engine/target.js";

/** Input × Gradient of the given rows. */
export function inputXGradientCore(ctx: Context, rows: number[]): InputXGradientSection {
  const { prep, engine } = ctx;
  const { k, d } = prep;
  const pts = pointsFromRows(prep, rows);
  const jac = engine.jacobian(pts);
  const out = new Float64Array(jac.length);
  for (let s = 0; s < rows.length; s++)
    for (let kk = 0; kk < k; kk++)
      for (let j = 0; j < d; j++) out[(s * k + kk) * d + j] = pts.z[s * d + j] * jac[(s * k + kk) * d + j];
  return attributionTable(out, rows.length, k, d);
}

/**
 * Input × Gradient attributions, [s][k][j].
 *
 * @example
 * const r = inputXGradient(({ x }) => x.matmul(array([[2], [3]])), { x: [[1, 1], [2, 0]] });
 * r.attributions; // [[[2, 3]], [[4, 0]]]
 */
export function inputXGradient(
  target: Target,
  data: InputData,
  opts: AttributionRowsOptions = {},
): Explained<InputXGradientSection> {
  const ctx = createContext(target, data, opts);
  const rows = standaloneRows(ctx, opts, subSeed(opts.seed ?? 0, "rows"));
  return explained(ctx, rows, inputXGradientCore(ctx, rows));
}
