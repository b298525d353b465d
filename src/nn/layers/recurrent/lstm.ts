// Keras: keras/src/layers/rnn/lstm.py (LSTMCell, LSTM)
//
// Gates in Keras's column order i, f, c, o of `kernel [F, 4u]`, `recurrent_kernel [u, 4u]`, `bias [4u]`:
//   z = x_t · kernel + bias + h_{t−1} · recurrent_kernel
//   i = σ(z_i), f = σ(z_f), o = σ(z_o), c_t = f ⊙ c_{t−1} + i ⊙ act(z_c), h_t = o ⊙ act(c_t)
// where σ is `recurrentActivation`. States [h, c]; the output is h.
// Keras 2 vs 3: Keras 1/2 defaulted `recurrent_activation` to "hard_sigmoid" (clip(0.2x + 0.5, 0, 1));
// Keras 3 defaults to "sigmoid". Keras 2's `implementation` (1 or 2) changes only how the
// products are grouped, not the result, and is not needed here.
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import { concatenate } from "../../../ops/index.js";
import { DenseRecurrentCell, gateActivation, OwnCellRNN, type GatedCellArgs } from "./_rnnCell.js";
import type { RNNArgs } from "./rnn.js";

/**
 * Options of `LSTMCell`.
 *
 * @example new layers.LSTMCell({ units: 8, unitForgetBias: false })
 */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Initialise the forget gate's bias to 1 (Keras default true). */
  unitForgetBias?: boolean;
}

/**
 * Keras's `unit_forget_bias` initializer: the bias initializer for the i, c, o blocks and ones for f.
 * Serializes as the wrapped initializer (Keras stores the plain `bias_initializer`).
 */
export function unitForgetBiasInitializer(
  base: initializers.Initializer,
  units: number,
): initializers.Initializer {
  return {
    className: base.className,
    config: base.config,
    apply: (shape, dtype) =>
      concatenate([
        base.apply([units], dtype),
        initializers.ones().apply([units], dtype),
        base.apply([2 * units], dtype),
      ]).reshape(shape),
  };
}

/**
 * The LSTM update from the gates' pre-activations `z = [i | f | c | o]` (Keras's block order;
 * `gate(k)` is block k) and the previous cell state `c`: returns the output h and the states
 * `[h, c]`. LSTMCell and ConvLSTMCell differ only in how they compute z.
 *
 * @example
 * const [h, [, c]] = lstmUpdate((k) => z.slice([null, [k * u, (k + 1) * u]]), c0, tanh, sigmoid);
 */
export function lstmUpdate(
  gate: (k: number) => Tensor,
  c: Tensor,
  activation: activations.Activation,
  recurrentActivation: activations.Activation,
): [Tensor, Tensor[]] {
  const i = recurrentActivation(gate(0));
  const f = recurrentActivation(gate(1));
  const o = recurrentActivation(gate(3));
  const cNext = f.mul(c).add(i.mul(activation(gate(2))));
  const hNext = o.mul(activation(cNext));
  return [hNext, [hNext, cNext]];
}

/**
 * One LSTM step (Keras's `LSTMCell`); use it inside `RNN`, or use `LSTM`.
 *
 * @example
 * const rnn = new layers.RNN({ cell: new layers.LSTMCell({ units: 8 }), returnState: true });
 */
export class LSTMCell extends DenseRecurrentCell {
  static override className = "LSTMCell";
  protected readonly gates = 4;
  readonly stateCount = 2;
  readonly recurrentActivation: activations.Activation;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    super(args);
    this.recurrentActivation = gateActivation(args);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected override effectiveBiasInitializer(): initializers.Initializer {
    return this.unitForgetBias
      ? unitForgetBiasInitializer(this.biasInitializer, this.units)
      : this.biasInitializer;
  }

  step(x: Tensor, [h, c]: Tensor[]): [Tensor, Tensor[]] {
    const z = x.add(h.matmul(this.recurrentKernel.value));
    return lstmUpdate((k) => this.gate(z, k), c, this.activation, this.recurrentActivation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }

  override activationFunctions(): Record<string, activations.Activation> {
    return { ...super.activationFunctions(), recurrentActivation: this.recurrentActivation };
  }
}

/**
 * Options of `LSTM`: the cell's and the recurrent loop's.
 *
 * @example new layers.LSTM({ units: 4, returnState: true, recurrentActivation: "hard_sigmoid" })
 */
export interface LSTMArgs extends RNNArgs, LSTMCellArgs {
  /** Accepted for Keras compatibility (cuDNN is a GPU detail). */
  useCudnn?: boolean | "auto";
}

/**
 * Long short-term memory (Hochreiter 1997; Keras's `LSTM`). With `returnState` it returns
 * `[output, h, c]`.
 *
 * @example
 * const lstm = new layers.LSTM({ units: 4, returnSequences: true, goBackwards: true });
 * const y = lstm.call(x, { mask }); // x [N, T, F], mask [N, T] → y [N, T, 4]
 */
export class LSTM<S extends boolean = false> extends OwnCellRNN<LSTMCell, LSTMArgs, S> {
  static override className = "LSTM";
  readonly useCudnn: boolean | "auto";

  constructor(args: LSTMArgs & { returnState?: S }) {
    super(args, (cellArgs) => new LSTMCell({ ...cellArgs, name: "lstm_cell" }));
    this.useCudnn = args.useCudnn ?? "auto";
  }

  get units(): number {
    return this.cell.units;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useCudnn: this.useCudnn };
  }
}
