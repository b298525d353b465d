// Keras: keras/src/layers/rnn/gru.py (GRUCell, GRU)
//
// Gates in Keras's column order z (update), r (reset), h (candidate) of `kernel [F, 3u]` and
// `recurrent_kernel [u, 3u]`; x_z, x_r, x_h = x_t · kernel + input bias:
//   resetAfter = true (Keras 3 default, cuDNN-compatible; bias [2, 3u] = [input bias, recurrent bias]):
//     m = h_{t−1} · recurrent_kernel + recurrent bias
//     z = σ(x_z + m_z), r = σ(x_r + m_r), hh = act(x_h + r ⊙ m_h)
//   resetAfter = false (bias [3u], input side only):
//     z = σ(x_z + h_{t−1} · R_z), r = σ(x_r + h_{t−1} · R_r), hh = act(x_h + (r ⊙ h_{t−1}) · R_h)
//   h_t = z ⊙ h_{t−1} + (1 − z) ⊙ hh
// Keras 2 vs 3: standalone Keras 2 (≤ 2.2) and TF.js have no or a false `reset_after` and default
// `recurrent_activation` to "hard_sigmoid" (Keras 2's clip(0.2x + 0.5, 0, 1)); tf.keras 2 and Keras 3
// default to reset_after=true and "sigmoid". The bias shape tells the two conventions apart.
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import { DenseRecurrentCell, gateActivation, OwnCellRNN, type GatedCellArgs } from "./_rnnCell.js";
import type { RNNArgs } from "./rnn.js";

/**
 * Options of `GRUCell`.
 *
 * @example new layers.GRUCell({ units: 8, resetAfter: false })
 */
export interface GRUCellArgs extends GatedCellArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3 default true); see the file header. */
  resetAfter?: boolean;
}

/**
 * One GRU step (Keras's `GRUCell`); use it inside `RNN`, or use `GRU`.
 *
 * @example
 * const rnn = new layers.RNN({ cell: new layers.GRUCell({ units: 8, resetAfter: false }) });
 */
export class GRUCell extends DenseRecurrentCell {
  static override className = "GRUCell";
  protected readonly gates = 3;
  readonly stateCount = 1;
  readonly recurrentActivation: activations.Activation;
  readonly resetAfter: boolean;
  private splitCache: { of: Tensor; zr: Tensor; h: Tensor } | null = null;

  constructor(args: GRUCellArgs) {
    super(args);
    this.recurrentActivation = gateActivation(args);
    this.resetAfter = args.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | null {
    const b = this.bias?.value ?? null;
    return b !== null && this.resetAfter ? b.slice([0]) : b;
  }

  /** `recurrent_kernel` split into its z|r columns and its h columns (cached per weight value). */
  private splitRecurrentKernel(R: Tensor): [Tensor, Tensor] {
    if (this.splitCache?.of !== R) {
      const u = this.units;
      this.splitCache = { of: R, zr: R.slice([null, [0, 2 * u]]), h: R.slice([null, [2 * u, 3 * u]]) };
    }
    return [this.splitCache.zr, this.splitCache.h];
  }

  step(x: Tensor, [h]: Tensor[]): [Tensor, Tensor[]] {
    const R = this.recurrentKernel.value;
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let m = h.matmul(R);
      if (this.bias !== null) m = m.add(this.bias.value.slice([1]));
      z = this.recurrentActivation(this.gate(x, 0).add(this.gate(m, 0)));
      const r = this.recurrentActivation(this.gate(x, 1).add(this.gate(m, 1)));
      hh = this.activation(this.gate(x, 2).add(r.mul(this.gate(m, 2))));
    } else {
      const [Rzr, Rh] = this.splitRecurrentKernel(R);
      const m = h.matmul(Rzr);
      z = this.recurrentActivation(this.gate(x, 0).add(this.gate(m, 0)));
      const r = this.recurrentActivation(this.gate(x, 1).add(this.gate(m, 1)));
      hh = this.activation(this.gate(x, 2).add(r.mul(h).matmul(Rh)));
    }
    const y = z.mul(h).add(z.neg().add(1).mul(hh));
    return [y, [y]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      resetAfter: this.resetAfter,
    };
  }

  override activationFunctions(): Record<string, activations.Activation> {
    return { ...super.activationFunctions(), recurrentActivation: this.recurrentActivation };
  }
}

/**
 * Options of `GRU`: the cell's and the recurrent loop's.
 *
 * @example new layers.GRU({ units: 4, resetAfter: false, goBackwards: true })
 */
export interface GRUArgs extends RNNArgs, GRUCellArgs {
  /** Accepted for Keras compatibility (cuDNN is a GPU detail). */
  useCudnn?: boolean | "auto";
}

/**
 * Gated recurrent unit (Cho et al. 2014; Keras's `GRU`), both reset-gate conventions.
 *
 * @example
 * const gru = new layers.GRU({ units: 4, resetAfter: false, recurrentActivation: "hard_sigmoid" });
 * gru.call(random.normal([2, 5, 3])); // [2, 4]
 */
export class GRU<S extends boolean = false> extends OwnCellRNN<GRUCell, GRUArgs, S> {
  static override className = "GRU";
  readonly useCudnn: boolean | "auto";

  constructor(args: GRUArgs & { returnState?: S }) {
    super(args, (cellArgs) => new GRUCell({ ...cellArgs, name: "gru_cell" }));
    this.useCudnn = args.useCudnn ?? "auto";
  }

  get units(): number {
    return this.cell.units;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useCudnn: this.useCudnn };
  }
}
