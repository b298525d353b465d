/**
 * L2 normalisation as Keras 3's `ops.normalize(x, axis, order=2, epsilon)`:
 * `x · min(1/‖x‖, 1/ε)`, i.e. x/‖x‖ with the norm floored at ε. Written with selects so that an
 * all-zero vector gives 0 with finite derivatives (Keras: keras/src/ops/nn.py `_normalize`).
 */
import { where } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";

export function l2Normalize(x: Tensor, axes: number[], epsilon: number): Tensor {
  const ss = x.square().sum({ axis: axes, keepdims: true });
  const big = ss.greater(epsilon * epsilon);
  // rsqrt only sees values above ε², so neither it nor its derivative blows up.
  const inv = where(big, where(big, ss, 1).rsqrt(), 1 / epsilon);
  return x.mul(inv);
}
