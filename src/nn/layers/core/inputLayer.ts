import type { DType } from "../../../core/dtype.js";
import { ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs } from "../../layer.js";
import { Node, SymbolicTensor } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";

export interface InputLayerArgs extends LayerArgs {
  /** Keras 3's name for the full shape incl. batch (`batch_shape`). */
  batchShape?: (number | null)[];
}

/**
 * The entry point of a functional model: it owns the symbolic input tensor. At call time it
 * passes its input through.
 *
 * @example new InputLayer({ inputShape: [2], name: "features" })
 */
export class InputLayer extends Layer {
  static override className = "InputLayer";
  /** The symbolic tensor this layer feeds into the graph. */
  readonly output: SymbolicTensor;

  constructor(args: InputLayerArgs = {}) {
    const batchInputShape =
      args.batchShape ??
      args.batchInputShape ??
      (args.inputShape ? [args.batchSize ?? null, ...args.inputShape] : undefined);
    if (batchInputShape === undefined)
      throw new ValueError(
        `InputLayer${args.name ? ` '${args.name}'` : ""}: give inputShape (per sample) or batchShape`,
      );
    super({ ...args, batchInputShape, inputShape: undefined });
    this.built = true;
    this.output = new SymbolicTensor(batchInputShape.slice(), this.dtype, 0, this.name);
    const node = new Node(this, null, [this.output], {}, false);
    this.output.node = node;
    this.inboundNodes.push(node);
  }

  call(x: Tensor): Tensor {
    return x;
  }

  override getConfig(): Record<string, unknown> {
    const { name, dtype } = super.getConfig();
    return { name, dtype, batchShape: this.batchInputShape };
  }
}

/**
 * A symbolic input for the functional API (Keras's `keras.Input`). `shape` excludes the batch dim.
 *
 * @example
 * const x = Input({ shape: [2], name: "features" });
 * const y = new layers.Dense({ units: 1 }).apply(x);
 * const model = new Model({ inputs: x, outputs: y });
 */
export function Input(args: {
  shape?: (number | null)[];
  batchSize?: number | null;
  name?: string;
  dtype?: DType;
  batchShape?: SymbolicShape;
}): SymbolicTensor {
  const batchShape =
    args.batchShape ?? (args.shape !== undefined ? [args.batchSize ?? null, ...args.shape] : undefined);
  if (batchShape === undefined) throw new ValueError("Input: give `shape` (per sample) or `batchShape`");
  return new InputLayer({ batchShape, name: args.name, dtype: args.dtype }).output;
}
