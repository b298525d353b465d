/**
 * Defaults that changed between Keras versions, written out when a config omits them, so that the
 * layer code can use Keras 3's defaults everywhere without changing what an old file means.
 *
 * | argument | Keras 1, Keras 2.0–2.2, tf.keras ≤2.2.4-tf, TF.js | standalone Keras 2.3 | tf.keras ≥2.3 (TF 2.2+), Keras 3 |
 * |---|---|---|---|
 * | LSTM/GRU `recurrent_activation` | `hard_sigmoid` | `sigmoid` | `sigmoid` |
 * | GRU `reset_after` | `false` | `false` | `true` |
 * | ConvLSTM `recurrent_activation` | `hard_sigmoid` (also tf.keras 2.x) | `hard_sigmoid` | `sigmoid` in Keras 3 only |
 *
 * Sources: keras 1.2 recurrent.py (`inner_activation='hard_sigmoid'`, GRU has no reset_after:
 * reset gate applied before the matmul), keras 2.2.4 layers/recurrent.py (`recurrent_activation=
 * 'hard_sigmoid'`, `reset_after=False`), Keras 2.3.0 release notes ("Change default recurrent
 * activation to sigmoid (from hard_sigmoid) in all RNN layers"), tf.keras recurrent_v2.py (TF 2.x:
 * sigmoid, reset_after=True), keras/src/layers/rnn/gru.py and lstm.py (Keras 3: sigmoid,
 * reset_after=True), keras/src/layers/rnn/conv_lstm.py (Keras 3: sigmoid), tfjs-layers
 * layers/recurrent.ts (`DEFAULT_RECURRENT_ACTIVATION = 'hardSigmoid'`; GRUCell throws on
 * resetAfter=true and old tfjs-layers never wrote `reset_after`).
 *
 * Every Keras ≥2.1 writer serialises these arguments, so the defaults only fill gaps in Keras 1
 * files (after the `inner_activation` rename), old TF.js files and hand-written configs. A
 * "2.2.4-tf" file may come from TF 1.13–2.1, whose defaults disagree; it is read as TF 1.x.
 */
import { atLeast, type Dialect } from "./dialect.js";
import type { JsonObject } from "./json.js";

interface RecurrentDefaults {
  recurrentActivation: "sigmoid" | "hard_sigmoid";
  resetAfter: boolean;
}

/** The LSTM/GRU defaults of the Keras that wrote the file. */
export function recurrentDefaults(dialect: Dialect): RecurrentDefaults {
  const v = dialect.version;
  switch (dialect.source) {
    case "keras3":
      return { recurrentActivation: "sigmoid", resetAfter: true };
    case "keras1":
      return { recurrentActivation: "hard_sigmoid", resetAfter: false };
    case "keras2":
      return { recurrentActivation: atLeast(v, 2, 3) ? "sigmoid" : "hard_sigmoid", resetAfter: false };
    case "tf.keras":
      return atLeast(v, 2, 3)
        ? { recurrentActivation: "sigmoid", resetAfter: true }
        : { recurrentActivation: "hard_sigmoid", resetAfter: false };
    case "tfjs":
      // tfjs-layers' own defaults, whatever Python Keras a converted file came from: tfjs-layers
      // deserialises such files with its own GRU/LSTM, and Keras ≥2.1 writers always spell these out.
      return { recurrentActivation: "hard_sigmoid", resetAfter: false };
  }
}

const LSTM_OR_GRU = new Set(["LSTM", "GRU", "LSTMCell", "GRUCell"]);
const CONV_LSTM = /^ConvLSTM([123]D)?(Cell)?$/;

/**
 * Writes version-dependent defaults into a (Keras-3-named) layer config when they are absent.
 *
 * @example
 * const config = { units: 4 };
 * applyVersionDefaults("GRU", config, { source: "tfjs", kerasMajor: 2 });
 * // config → { units: 4, recurrent_activation: "hard_sigmoid", reset_after: false }
 */
export function applyVersionDefaults(className: string, config: JsonObject, dialect: Dialect): void {
  if (LSTM_OR_GRU.has(className)) {
    const d = recurrentDefaults(dialect);
    if (config.recurrent_activation === undefined) config.recurrent_activation = d.recurrentActivation;
    if (className.startsWith("GRU") && config.reset_after === undefined) config.reset_after = d.resetAfter;
  } else if (CONV_LSTM.test(className) && config.recurrent_activation === undefined) {
    config.recurrent_activation = dialect.source === "keras3" ? "sigmoid" : "hard_sigmoid";
  }
}
