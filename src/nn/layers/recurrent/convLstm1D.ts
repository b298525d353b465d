// Keras: keras/src/layers/rnn/conv_lstm1d.py (a ConvLSTM of rank 1; the math is in convLstm.ts).
import { ConvLSTM, type ConvLSTMArgs } from "./convLstm.js";

/**
 * Options of ConvLSTM1D (Keras's arguments, camelCase).
 *
 * @example new layers.ConvLSTM1D({ filters: 4, kernelSize: 3, padding: "same" })
 */
export type ConvLSTM1DArgs = ConvLSTMArgs;

/**
 * 1-D convolutional LSTM over [batch, time, steps, channels] inputs (or channels first:
 * [batch, time, channels, ...]); weights `kernel`, `recurrent_kernel`, `bias` as Keras.
 *
 * @example
 * const lstm = new layers.ConvLSTM1D({ filters: 4, kernelSize: 3, padding: "same", returnSequences: true });
 * lstm.call(random.normal([2, 5, 10, 3])); // [2, 5, 10, 4]
 */
export class ConvLSTM1D<S extends boolean = false> extends ConvLSTM<S> {
  static override className = "ConvLSTM1D";

  constructor(args: ConvLSTM1DArgs & { returnState?: S }) {
    super(1, args);
  }
}
