// Keras: keras/src/layers/core/embedding.py. Keras 2 (keras/layers/embeddings.py) also takes
// `input_length`, which fixes the per-sample input shape (so a Flatten after it knows its size).
import { ShapeError, ValueError } from "../../../core/errors.js";
import { take } from "../../../ops/index.js";
import { Concrete, type Tensor } from "../../../prims/tensor.js";
import * as initializers from "../../initializers.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import type { Weight } from "../../weight.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "../base/_options.js";
import { at, fmtShape, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of Embedding (Keras's arguments, camelCase).
 *
 * @example new layers.Embedding({ inputDim: 1000, outputDim: 16, maskZero: true })
 */
export interface EmbeddingArgs extends LayerArgs, TrainingOnlyArgs<"embeddings"> {
  /** Vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Keras default "uniform" (U(−0.05, 0.05)). */
  embeddingsInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
  /** Id 0 is padding: the layer emits the mask `ids != 0` for the layers after it. */
  maskZero?: boolean;
  /** Keras 2: the per-sample input length(s); sets the input shape when none is given. */
  inputLength?: number | (number | null)[] | null;
}

/**
 * Looks up a vector for each integer id: `[N, …]` ids → `[N, …, outputDim]`. Ids may arrive as
 * int32 or as floats (they are cast to int32, truncating, as Keras casts), so the layer works
 * inside `derivatives()`, `vmap` and `jacrev`, which hand inputs over as floats; the derivative
 * with respect to the ids is zero. The weight is `embeddings`, `[inputDim, outputDim]`.
 *
 * @example
 * const emb = new layers.Embedding({ inputDim: 10, outputDim: 4, maskZero: true });
 * emb.call(array([[1, 2, 0]], { dtype: "int32" })).shape; // [1, 3, 4]
 */
export class Embedding extends Layer {
  static override className = "Embedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: initializers.Initializer;
  readonly maskZero: boolean;
  readonly inputLength: number | (number | null)[] | null;
  private readonly extras: Record<string, unknown>;
  embeddings!: Weight;

  constructor(args: EmbeddingArgs) {
    const len = args.inputLength ?? null;
    const fromLength =
      len !== null && args.inputShape === undefined && args.batchInputShape === undefined
        ? { inputShape: Array.isArray(len) ? len.slice() : [len] }
        : {};
    // Embedding's inputDim is the vocabulary size, not the base layer's Keras 1 shorthand for an
    // input shape of [inputDim], so it is not passed on.
    super({ ...args, inputDim: undefined, ...fromLength });
    for (const [k, v] of [
      ["inputDim", args.inputDim],
      ["outputDim", args.outputDim],
    ] as const)
      if (!Number.isInteger(v) || v <= 0)
        throw new ValueError(at(this, `${k} must be a positive integer, got ${v}`));
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.embeddingsInitializer = initializers.get(args.embeddingsInitializer, "uniform");
    this.maskZero = args.maskZero ?? false;
    this.inputLength = Array.isArray(len) ? len.slice() : len;
    this.extras = trainingOnlyOptions(args, ["embeddings"], true);
    this.supportsMasking = this.maskZero;
  }

  /** Keras 2's check of the input against `inputLength`. */
  private checkLength(s: readonly (number | null)[]): void {
    if (this.inputLength === null) return;
    const want = Array.isArray(this.inputLength) ? this.inputLength : [this.inputLength];
    const got = s.slice(1);
    if (got.length !== want.length || want.some((d, i) => d !== null && got[i] !== null && d !== got[i]))
      throw new ShapeError(
        at(this, `inputLength is ${fmtShape(want)}, but received input has shape ${fmtShape(s)}`),
      );
  }

  override build(inputShape: ShapeTree): void {
    this.checkLength(singleShape(this, inputShape));
    this.embeddings = this.addWeight(
      "embeddings",
      [this.inputDim, this.outputDim],
      this.embeddingsInitializer,
    );
    this.built = true;
  }

  private ids(inputs: LayerInputs): Tensor {
    const x = singleTensor(this, inputs);
    const ids = x.dtype === "int32" ? x : x.astype("int32");
    if (ids instanceof Concrete) {
      const d = ids.value.data;
      for (let i = 0; i < d.length; i++)
        if (d[i] < 0 || d[i] >= this.inputDim)
          throw new ValueError(at(this, `id ${d[i]} is out of range [0, ${this.inputDim}) (input dim)`));
    }
    return ids;
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    this.checkLength(singleTensor(this, inputs).shape);
    return take(this.embeddings.value, this.ids(inputs), 0);
  }

  override computeMask(inputs: LayerInputs, mask?: CallArgs["mask"]): Tensor | null {
    void mask;
    if (!this.maskZero) return null;
    return this.ids(inputs).notEqual(0);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return [...singleShape(this, inputShape), this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializers.serialize(this.embeddingsInitializer),
      ...this.extras,
      maskZero: this.maskZero,
      inputLength: Array.isArray(this.inputLength) ? this.inputLength.slice() : this.inputLength,
    };
  }
}
