/**
 * The time loop shared by every recurrent layer, written with ops only (slice per step, `where`
 * for masks, `stack` at the end) so it is differentiable to any order and vmappable.
 *
 * Keras: keras/src/backend/tensorflow/rnn.py `rnn` (the while_loop path, which is also what the
 * unrolled path of every backend does):
 * - steps run in time order, or from the last step to the first with `goBackwards`; the outputs
 *   are returned in processing order (so a backwards sequence comes out reversed, as in Keras);
 * - at a masked step (mask false) the states keep their previous values and the step emits the
 *   previous step's *emitted* output, which is zeros before the first step — or zeros at every
 *   masked step with `zeroOutputForMask` (what Bidirectional forces when returning sequences).
 *   Keras 3's JAX backend (non-unrolled `lax.scan`) instead emits the previous `h` state there,
 *   which differs only when an initial state is given and the first processed step is masked.
 */
import { stack, where, zerosLike } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";

/** One step: the (projected) input at one time step and the states → output and new states. */
export type StepFn = (input: Tensor, states: Tensor[]) => [Tensor, Tensor[]];

export interface LoopOptions {
  goBackwards: boolean;
  /** `[N, T]`, true where a step counts; null for none. */
  mask: Tensor | null;
  zeroOutputForMask: boolean;
  /** Whether to keep (and stack) every step's output. */
  returnSequences: boolean;
}

export interface LoopResult {
  /** Output of the last processed step, `[N, ...]`. */
  last: Tensor;
  /** Every step's output in processing order, `[N, T, ...]` (only with `returnSequences`). */
  outputs: Tensor | null;
  /** Final states. */
  states: Tensor[];
}

/** A `[N]` boolean mask column reshaped to broadcast against `[N, ...]` values of rank `rank`. */
const column = (m: Tensor, rank: number): Tensor =>
  m.reshape([m.shape[0], ...new Array<number>(rank - 1).fill(1)]);

/**
 * Runs `step` over axis 1 of `inputs` (`[N, T, ...]`) starting from `initial` states.
 *
 * @example
 * const { last } = recurrentLoop((x, [h]) => { const y = x.add(h).tanh(); return [y, [y]]; }, xs, [h0], opts);
 */
export function recurrentLoop(
  step: StepFn,
  inputs: Tensor,
  initial: Tensor[],
  opts: LoopOptions,
): LoopResult {
  const T = inputs.shape[1];
  const rest = inputs.shape.length - 2;
  let states = initial;
  let prev: Tensor | null = null;
  const outputs: Tensor[] = [];
  for (let k = 0; k < T; k++) {
    const t = opts.goBackwards ? T - 1 - k : k;
    const xt = inputs.slice([null, t, ...new Array<null>(rest).fill(null)]);
    let [out, next] = step(xt, states);
    if (opts.mask !== null) {
      const mt = opts.mask.slice([null, t]);
      const keep = opts.zeroOutputForMask || prev === null ? zerosLike(out) : prev;
      out = where(column(mt, out.ndim), out, keep);
      next = next.map((s, i) => where(column(mt, s.ndim), s, states[i]));
    }
    states = next;
    prev = out;
    if (opts.returnSequences) outputs.push(out);
  }
  if (prev === null) throw new Error("internal: recurrentLoop needs at least one time step");
  return { last: prev, outputs: opts.returnSequences ? stack(outputs, 1) : null, states };
}
