import { isFloat } from "../core/dtype.js";
import { cast } from "../kernels/elementwise.js";
import * as L from "./lax.js";
import { elementwiseBatch } from "./helpers.js";
import { bind, type Tensor } from "./tensor.js";
import { LinearArg, type PrimRule } from "./types.js";

/** dtype conversion. Float→float carries tangents; anything to or from int/bool has none. */
export const convertRule: PrimRule<"convert"> = {
  impl: ([x], { dtype }) => cast(x, dtype),
  shape: ([x], { dtype }) => ({ shape: x.shape, dtype }),
  jvp: ([x], [dx], { dtype }) => {
    const y = L.convert(x, dtype);
    return [y, dx !== null && isFloat(x.dtype) && isFloat(dtype) ? L.convert(dx, dtype) : null];
  },
  transpose: (ct, [x]) => [x instanceof LinearArg ? L.convert(ct, x.aval.dtype) : null],
  batch: elementwiseBatch("convert"),
};

/** Identity on values, zero derivative: the value is treated as a constant by every transform. */
export const stopGradientRule: PrimRule<"stop_gradient"> = {
  impl: ([x]) => x,
  shape: ([x]) => x,
  jvp: ([x]): [Tensor, null] => [bind("stop_gradient", [x], {} as Record<string, never>), null],
  transpose: "nonlinear",
  batch: elementwiseBatch("stop_gradient"),
};
