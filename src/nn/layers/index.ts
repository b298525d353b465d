/** Keras layer classes, one file each; constructed with one options object in camelCase. */
export { InputLayer } from "./inputLayer.js";
export { Dense } from "./dense.js";
export { Activation } from "./activation.js";
export {
  RNN,
  RNNCell,
  StackedRNNCells,
  type RNNArgs,
  type GenericRNNArgs,
  type StackedRNNCellsArgs,
} from "./rnn.js";
export { SimpleRNN, SimpleRNNCell, type SimpleRNNArgs } from "./simpleRnn.js";
export { LSTM, LSTMCell, type LSTMArgs, type LSTMCellArgs } from "./lstm.js";
export { GRU, GRUCell, type GRUArgs, type GRUCellArgs } from "./gru.js";
export { Bidirectional, type BidirectionalArgs, type MergeMode } from "./bidirectional.js";
export { TimeDistributed, type TimeDistributedArgs } from "./timeDistributed.js";
export { Conv1D, type Conv1DArgs } from "./conv1D.js";
export { Conv2D, type Conv2DArgs } from "./conv2D.js";
export { Conv3D, type Conv3DArgs } from "./conv3D.js";
export { SeparableConv1D, type SeparableConv1DArgs } from "./separableConv1D.js";
export { SeparableConv2D, type SeparableConv2DArgs } from "./separableConv2D.js";
export { DepthwiseConv1D, type DepthwiseConv1DArgs } from "./depthwiseConv1D.js";
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from "./depthwiseConv2D.js";
export { Conv1DTranspose, type Conv1DTransposeArgs } from "./conv1DTranspose.js";
export { Conv2DTranspose, type Conv2DTransposeArgs } from "./conv2DTranspose.js";
export { Conv3DTranspose, type Conv3DTransposeArgs } from "./conv3DTranspose.js";
export { MaxPooling1D, type MaxPooling1DArgs } from "./maxPooling1D.js";
export { MaxPooling2D, type MaxPooling2DArgs } from "./maxPooling2D.js";
export { MaxPooling3D, type MaxPooling3DArgs } from "./maxPooling3D.js";
export { AveragePooling1D, type AveragePooling1DArgs } from "./averagePooling1D.js";
export { AveragePooling2D, type AveragePooling2DArgs } from "./averagePooling2D.js";
export { AveragePooling3D, type AveragePooling3DArgs } from "./averagePooling3D.js";
export { GlobalMaxPooling1D, type GlobalMaxPooling1DArgs } from "./globalMaxPooling1D.js";
export { GlobalMaxPooling2D, type GlobalMaxPooling2DArgs } from "./globalMaxPooling2D.js";
export { GlobalMaxPooling3D, type GlobalMaxPooling3DArgs } from "./globalMaxPooling3D.js";
export { GlobalAveragePooling1D, type GlobalAveragePooling1DArgs } from "./globalAveragePooling1D.js";
export { GlobalAveragePooling2D, type GlobalAveragePooling2DArgs } from "./globalAveragePooling2D.js";
export { GlobalAveragePooling3D, type GlobalAveragePooling3DArgs } from "./globalAveragePooling3D.js";
export { ZeroPadding1D, type ZeroPadding1DArgs } from "./zeroPadding1D.js";
export { ZeroPadding2D, type ZeroPadding2DArgs } from "./zeroPadding2D.js";
export { ZeroPadding3D, type ZeroPadding3DArgs } from "./zeroPadding3D.js";
export { Cropping1D, type Cropping1DArgs } from "./cropping1D.js";
export { Cropping2D, type Cropping2DArgs } from "./cropping2D.js";
export { Cropping3D, type Cropping3DArgs } from "./cropping3D.js";
export { UpSampling1D, type UpSampling1DArgs } from "./upSampling1D.js";
export { UpSampling2D, type UpSampling2DArgs, type Interpolation } from "./upSampling2D.js";
export { UpSampling3D, type UpSampling3DArgs } from "./upSampling3D.js";
export type { KerasDataFormat, DataFormatLike } from "./_util.js";
export type { SpatialAmounts } from "./_convSpatial.js";
export { EinsumDense, type EinsumDenseArgs } from "./einsumDense.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { SpatialDropout1D } from "./spatialDropout1D.js";
export { SpatialDropout2D } from "./spatialDropout2D.js";
export { SpatialDropout3D } from "./spatialDropout3D.js";
export type { SpatialDropoutArgs, SpatialDropoutFormatArgs } from "./_spatialDropout.js";
export { GaussianNoise, type GaussianNoiseArgs } from "./gaussianNoise.js";
export { GaussianDropout, type GaussianDropoutArgs } from "./gaussianDropout.js";
export { AlphaDropout, type AlphaDropoutArgs } from "./alphaDropout.js";
export { Identity } from "./identity.js";
export { Flatten, type FlattenArgs } from "./flatten.js";
export { Reshape, type ReshapeArgs } from "./reshape.js";
export { Permute, type PermuteArgs } from "./permute.js";
export { RepeatVector, type RepeatVectorArgs } from "./repeatVector.js";
export { Masking, type MaskingArgs } from "./masking.js";
export { Concatenate, type ConcatenateArgs } from "./concatenate.js";
export { Add } from "./add.js";
export { Subtract } from "./subtract.js";
export { Multiply } from "./multiply.js";
export { Average } from "./average.js";
export { Maximum } from "./maximum.js";
export { Minimum } from "./minimum.js";
export { Dot, type DotArgs } from "./dot.js";
export { BatchNormalization, type BatchNormalizationArgs } from "./batchNormalization.js";
export { LayerNormalization, type LayerNormalizationArgs } from "./layerNormalization.js";
export { GroupNormalization, type GroupNormalizationArgs } from "./groupNormalization.js";
export { UnitNormalization, type UnitNormalizationArgs } from "./unitNormalization.js";
export { Normalization, type NormalizationArgs } from "./normalization.js";
export { Rescaling, type RescalingArgs } from "./rescaling.js";
export { Embedding, type EmbeddingArgs } from "./embedding.js";
export { LeakyReLU, type LeakyReLUArgs } from "./leakyRelu.js";
export { PReLU, type PReLUArgs } from "./prelu.js";
export { ELU, type ELUArgs } from "./elu.js";
export { ReLU, type ReLUArgs } from "./relu.js";
export { Softmax, type SoftmaxArgs } from "./softmax.js";
export { ThresholdedReLU, type ThresholdedReLUArgs } from "./thresholdedRelu.js";
export { Attention, type AttentionArgs, type AttentionCallArgs } from "./attention.js";
export {
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
  type MultiHeadAttentionCallArgs,
  type MultiHeadAttentionInputs,
} from "./multiHeadAttention.js";
export { ConvLSTMCell, type ConvLSTMArgs, type ConvLSTMCellArgs } from "./convLstm.js";
export { ConvLSTM1D, type ConvLSTM1DArgs } from "./convLstm1D.js";
export { ConvLSTM2D, type ConvLSTM2DArgs } from "./convLstm2D.js";
export { ConvLSTM3D, type ConvLSTM3DArgs } from "./convLstm3D.js";
