/** Keras layer classes, one file each; constructed with one options object in camelCase. */
export { InputLayer } from "./core/inputLayer.js";
export { Dense } from "./core/dense.js";
export { Activation } from "./activations/activation.js";
export {
  RNN,
  RNNCell,
  StackedRNNCells,
  type RNNArgs,
  type GenericRNNArgs,
  type StackedRNNCellsArgs,
} from "./recurrent/rnn.js";
export { SimpleRNN, SimpleRNNCell, type SimpleRNNArgs } from "./recurrent/simpleRnn.js";
export { LSTM, LSTMCell, type LSTMArgs, type LSTMCellArgs } from "./recurrent/lstm.js";
export { GRU, GRUCell, type GRUArgs, type GRUCellArgs } from "./recurrent/gru.js";
export { Bidirectional, type BidirectionalArgs, type MergeMode } from "./recurrent/bidirectional.js";
export { TimeDistributed, type TimeDistributedArgs } from "./recurrent/timeDistributed.js";
export { Conv1D, type Conv1DArgs } from "./convolutional/conv1D.js";
export { Conv2D, type Conv2DArgs } from "./convolutional/conv2D.js";
export { Conv3D, type Conv3DArgs } from "./convolutional/conv3D.js";
export { SeparableConv1D, type SeparableConv1DArgs } from "./convolutional/separableConv1D.js";
export { SeparableConv2D, type SeparableConv2DArgs } from "./convolutional/separableConv2D.js";
export { DepthwiseConv1D, type DepthwiseConv1DArgs } from "./convolutional/depthwiseConv1D.js";
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from "./convolutional/depthwiseConv2D.js";
export { Conv1DTranspose, type Conv1DTransposeArgs } from "./convolutional/conv1DTranspose.js";
export { Conv2DTranspose, type Conv2DTransposeArgs } from "./convolutional/conv2DTranspose.js";
export { Conv3DTranspose, type Conv3DTransposeArgs } from "./convolutional/conv3DTranspose.js";
export { MaxPooling1D, type MaxPooling1DArgs } from "./pooling/maxPooling1D.js";
export { MaxPooling2D, type MaxPooling2DArgs } from "./pooling/maxPooling2D.js";
export { MaxPooling3D, type MaxPooling3DArgs } from "./pooling/maxPooling3D.js";
export { AveragePooling1D, type AveragePooling1DArgs } from "./pooling/averagePooling1D.js";
export { AveragePooling2D, type AveragePooling2DArgs } from "./pooling/averagePooling2D.js";
export { AveragePooling3D, type AveragePooling3DArgs } from "./pooling/averagePooling3D.js";
export { GlobalMaxPooling1D, type GlobalMaxPooling1DArgs } from "./pooling/globalMaxPooling1D.js";
export { GlobalMaxPooling2D, type GlobalMaxPooling2DArgs } from "./pooling/globalMaxPooling2D.js";
export { GlobalMaxPooling3D, type GlobalMaxPooling3DArgs } from "./pooling/globalMaxPooling3D.js";
export { GlobalAveragePooling1D, type GlobalAveragePooling1DArgs } from "./pooling/globalAveragePooling1D.js";
export { GlobalAveragePooling2D, type GlobalAveragePooling2DArgs } from "./pooling/globalAveragePooling2D.js";
export { GlobalAveragePooling3D, type GlobalAveragePooling3DArgs } from "./pooling/globalAveragePooling3D.js";
export { ZeroPadding1D, type ZeroPadding1DArgs } from "./reshaping/zeroPadding1D.js";
export { ZeroPadding2D, type ZeroPadding2DArgs } from "./reshaping/zeroPadding2D.js";
export { ZeroPadding3D, type ZeroPadding3DArgs } from "./reshaping/zeroPadding3D.js";
export { Cropping1D, type Cropping1DArgs } from "./reshaping/cropping1D.js";
export { Cropping2D, type Cropping2DArgs } from "./reshaping/cropping2D.js";
export { Cropping3D, type Cropping3DArgs } from "./reshaping/cropping3D.js";
export { UpSampling1D, type UpSampling1DArgs } from "./reshaping/upSampling1D.js";
export { UpSampling2D, type UpSampling2DArgs, type Interpolation } from "./reshaping/upSampling2D.js";
export { UpSampling3D, type UpSampling3DArgs } from "./reshaping/upSampling3D.js";
export type { KerasDataFormat, DataFormatLike } from "./base/_util.js";
export type { SpatialAmounts } from "./reshaping/_convSpatial.js";
export { EinsumDense, type EinsumDenseArgs } from "./core/einsumDense.js";
export { Dropout, type DropoutArgs } from "./regularization/dropout.js";
export { SpatialDropout1D } from "./regularization/spatialDropout1D.js";
export { SpatialDropout2D } from "./regularization/spatialDropout2D.js";
export { SpatialDropout3D } from "./regularization/spatialDropout3D.js";
export type { SpatialDropoutArgs, SpatialDropoutFormatArgs } from "./regularization/_spatialDropout.js";
export { GaussianNoise, type GaussianNoiseArgs } from "./regularization/gaussianNoise.js";
export { GaussianDropout, type GaussianDropoutArgs } from "./regularization/gaussianDropout.js";
export { AlphaDropout, type AlphaDropoutArgs } from "./regularization/alphaDropout.js";
export { Identity } from "./core/identity.js";
export { Flatten, type FlattenArgs } from "./reshaping/flatten.js";
export { Reshape, type ReshapeArgs } from "./reshaping/reshape.js";
export { Permute, type PermuteArgs } from "./reshaping/permute.js";
export { RepeatVector, type RepeatVectorArgs } from "./reshaping/repeatVector.js";
export { Masking, type MaskingArgs } from "./core/masking.js";
export { Concatenate, type ConcatenateArgs } from "./merging/concatenate.js";
export { Add } from "./merging/add.js";
export { Subtract } from "./merging/subtract.js";
export { Multiply } from "./merging/multiply.js";
export { Average } from "./merging/average.js";
export { Maximum } from "./merging/maximum.js";
export { Minimum } from "./merging/minimum.js";
export { Dot, type DotArgs } from "./merging/dot.js";
export { BatchNormalization, type BatchNormalizationArgs } from "./normalization/batchNormalization.js";
export { LayerNormalization, type LayerNormalizationArgs } from "./normalization/layerNormalization.js";
export { GroupNormalization, type GroupNormalizationArgs } from "./normalization/groupNormalization.js";
export { UnitNormalization, type UnitNormalizationArgs } from "./normalization/unitNormalization.js";
export { Normalization, type NormalizationArgs } from "./preprocessing/normalization.js";
export { Rescaling, type RescalingArgs } from "./preprocessing/rescaling.js";
export { Embedding, type EmbeddingArgs } from "./core/embedding.js";
export { LeakyReLU, type LeakyReLUArgs } from "./activations/leakyRelu.js";
export { PReLU, type PReLUArgs } from "./activations/prelu.js";
export { ELU, type ELUArgs } from "./activations/elu.js";
export { ReLU, type ReLUArgs } from "./activations/relu.js";
export { Softmax, type SoftmaxArgs } from "./activations/softmax.js";
export { ThresholdedReLU, type ThresholdedReLUArgs } from "./activations/thresholdedRelu.js";
export { Attention, type AttentionArgs, type AttentionCallArgs } from "./attention/attention.js";
export {
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
  type MultiHeadAttentionCallArgs,
  type MultiHeadAttentionInputs,
} from "./attention/multiHeadAttention.js";
export { ConvLSTMCell, type ConvLSTMArgs, type ConvLSTMCellArgs } from "./recurrent/convLstm.js";
export { ConvLSTM1D, type ConvLSTM1DArgs } from "./recurrent/convLstm1D.js";
export { ConvLSTM2D, type ConvLSTM2DArgs } from "./recurrent/convLstm2D.js";
export { ConvLSTM3D, type ConvLSTM3DArgs } from "./recurrent/convLstm3D.js";
