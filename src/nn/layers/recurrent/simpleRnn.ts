// Keras: keras/src/layers/rnn/simple_rnn.py (SimpleRNNCell, SimpleRNN)
//
// h_t = activation(x_t · kernel + bias + h_{t−1} · recurrent_kernel); the output is h_t.
// Keras 2 vs 3: same math, weights and defaults (Keras 2.1 fixtures reproduce unchanged).
import type { Tensor } from "../../../prims/tensor.js";
import { DenseRecurrentCell, OwnCellRNN, type RecurrentCellArgs } from "./_rnnCell.js";
import type { RNNArgs } from "./rnn.js";

/**
 * One step of a fully-connected RNN (Keras's `SimpleRNNCell`); use it inside `RNN`, or use `SimpleRNN`.
 *
 * @example
 * const rnn = new layers.RNN({ cell: new layers.SimpleRNNCell({ units: 8 }) });
 */
export class SimpleRNNCell extends DenseRecurrentCell {
  static override className = "SimpleRNNCell";
  protected readonly gates = 1;
  readonly stateCount = 1;

  step(x: Tensor, [h]: Tensor[]): [Tensor, Tensor[]] {
    const y = this.activation(x.add(h.matmul(this.recurrentKernel.value)));
    return [y, [y]];
  }
}

/**
 * Options of `SimpleRNN`: the cell's and the recurrent loop's.
 *
 * @example new layers.SimpleRNN({ units: 4, activation: "relu", returnSequences: true })
 */
export interface SimpleRNNArgs extends RNNArgs, RecurrentCellArgs {}

/**
 * Fully-connected RNN whose output is fed back as the next step's state (Keras's `SimpleRNN`).
 * Weights: `kernel [features, units]`, `recurrent_kernel [units, units]`, `bias [units]`.
 *
 * @example
 * const rnn = new layers.SimpleRNN({ units: 4, returnSequences: true });
 * rnn.call(random.normal([2, 5, 3])); // [2, 5, 4]
 */
export class SimpleRNN<S extends boolean = false> extends OwnCellRNN<SimpleRNNCell, SimpleRNNArgs, S> {
  static override className = "SimpleRNN";

  constructor(args: SimpleRNNArgs & { returnState?: S }) {
    super(args, (cellArgs) => new SimpleRNNCell({ ...cellArgs, name: "simple_rnn_cell" }));
  }

  get units(): number {
    return this.cell.units;
  }
}
