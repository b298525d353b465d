/** Keras layer classes, one file each; constructed with one options object in camelCase. */
export { InputLayer } from "./inputLayer.js";
export { Dense } from "./dense.js";
export { Activation } from "./activation.js";
export { RNN, RNNCell, type RNNArgs, type GenericRNNArgs } from "./rnn.js";
export { SimpleRNN, SimpleRNNCell, type SimpleRNNArgs } from "./simpleRnn.js";
export { LSTM, LSTMCell, type LSTMArgs, type LSTMCellArgs } from "./lstm.js";
export { GRU, GRUCell, type GRUArgs, type GRUCellArgs } from "./gru.js";
export { Bidirectional, type BidirectionalArgs, type MergeMode } from "./bidirectional.js";
export { TimeDistributed, type TimeDistributedArgs } from "./timeDistributed.js";
