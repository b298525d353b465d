// Keras: keras/src/layers/rnn/conv_lstm2d.py (a ConvLSTM of rank 2; the math is in convLstm.ts).
import { ConvLSTM, type ConvLSTMArgs } from "./convLstm.js";

/**
 * Options of ConvLSTM2D (Keras's arguments, camelCase).
 *
 * @example new layers.ConvLSTM2D({ filters: 8, kernelSize: 3, returnSequences: true })
 */
export type ConvLSTM2DArgs = ConvLSTMArgs;

/**
 * 2-D convolutional LSTM over [batch, time, rows, cols, channels] inputs (or channels first:
 * [batch, time, channels, ...]); weights `kernel`, `recurrent_kernel`, `bias` as Keras.
 *
 * @example
 * const lstm = new layers.ConvLSTM2D({ filters: 8, kernelSize: [3, 3] });
 * lstm.call(random.normal([2, 5, 16, 16, 3])); // [2, 14, 14, 8]
 */
export class ConvLSTM2D<S extends boolean = false> extends ConvLSTM<S> {
  static override className = "ConvLSTM2D";

  constructor(args: ConvLSTM2DArgs & { returnState?: S }) {
    super(2, args);
  }
}
