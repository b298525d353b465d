// Keras: keras/src/layers/rnn/conv_lstm3d.py (a ConvLSTM of rank 3; the math is in convLstm.ts).
import { ConvLSTM, type ConvLSTMArgs } from "./convLstm.js";

/**
 * Options of ConvLSTM3D (Keras's arguments, camelCase).
 *
 * @example new layers.ConvLSTM3D({ filters: 2, kernelSize: 2, dataFormat: "channels_first" })
 */
export type ConvLSTM3DArgs = ConvLSTMArgs;

/**
 * 3-D convolutional LSTM over [batch, time, depth, rows, cols, channels] inputs (or channels first:
 * [batch, time, channels, ...]); weights `kernel`, `recurrent_kernel`, `bias` as Keras.
 *
 * @example
 * const lstm = new layers.ConvLSTM3D({ filters: 2, kernelSize: 2, strides: 2 });
 * lstm.call(random.normal([1, 3, 4, 4, 4, 1])); // [1, 2, 2, 2, 2]
 */
export class ConvLSTM3D<S extends boolean = false> extends ConvLSTM<S> {
  static override className = "ConvLSTM3D";

  constructor(args: ConvLSTM3DArgs & { returnState?: S }) {
    super(3, args);
  }
}
