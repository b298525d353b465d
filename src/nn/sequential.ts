import { ValueError } from "../core/errors.js";
import type { Tensor } from "../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "./layer.js";
import { InputLayer } from "./layers/core/inputLayer.js";
import { Model } from "./model.js";
import { withWeightCheck } from "./weightCheck.js";
import { SymbolicTensor } from "./layer.js";
import type { SymbolicShape } from "./symbolic.js";

/**
 * A linear stack of layers (Keras's `Sequential`). Give the input shape with an `InputLayer`,
 * an `Input()` tensor, or `inputShape` on the first layer; otherwise it is built on first call.
 *
 * @example
 * const hidden = new Sequential([
 *   new layers.Dense({ units: 1, name: "output", inputShape: [2],
 *     kernelInitializer: initializers.constant(0.1), biasInitializer: initializers.constant(0) }),
 * ]);
 * hidden.call(array([[1, 2]])); // [[0.3]]
 */
export class Sequential extends Model {
  static override className = "Sequential";
  private readonly stack: Layer[] = [];
  /** The input layer (explicit, or made from the first layer's input shape). */
  inputLayer: InputLayer | null = null;
  /** Output shape after each layer (known once built), for summaries. */
  readonly outputShapes = new Map<Layer, ShapeTree>();

  constructor(layers: (Layer | SymbolicTensor)[] = [], args: LayerArgs = {}) {
    super(args);
    for (const l of layers) this.add(l);
  }

  /**
   * Appends a layer (or an `Input()` tensor as the first element).
   *
   * @example model.add(new layers.Dense({ units: 64, activation: "tanh" }));
   */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.node.layer instanceof InputLayer))
        throw new ValueError(`Sequential '${this.name}': only Input() tensors can be added`);
      layer = layer.node.layer;
    }
    if (layer instanceof InputLayer) {
      if (this.inputLayer !== null || this.stack.length > 0)
        throw new ValueError(`Sequential '${this.name}': an InputLayer can only be the first layer`);
      this.inputLayer = layer;
      return;
    }
    if (this.stack.length === 0 && this.inputLayer === null && layer.batchInputShape !== null)
      this.inputLayer = new InputLayer({ batchShape: layer.batchInputShape });
    this.stack.push(layer);
    this.built = false;
    if (this.inputLayer !== null) this.build(this.inputLayer.batchInputShape!);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (l === undefined) throw new ValueError(`Sequential '${this.name}': no layers to pop`);
    return l;
  }

  override get layers(): Layer[] {
    return this.stack.slice();
  }

  override get subLayers(): Layer[] {
    return this.stack.slice();
  }

  override get inputNames(): string[] {
    return this.inputLayer !== null ? [this.inputLayer.name] : [];
  }

  override get outputNames(): string[] {
    return this.stack.length > 0 ? [this.stack[this.stack.length - 1].name] : [];
  }

  /** Builds every layer in turn, propagating the shape through each one's `computeOutputShape`. */
  override build(inputShape: ShapeTree): void {
    if (this.inputLayer === null && Array.isArray(inputShape) && !Array.isArray(inputShape[0]))
      this.inputLayer = new InputLayer({
        batchShape: (inputShape as SymbolicShape).map((d, i) => (i === 0 ? null : d)),
      });
    // Called directly (`model.build(shape)`) as well as by `maybeBuild`: the weight check applies either way.
    withWeightCheck(this.weightCheck, () => {
      let shape = inputShape;
      for (const layer of this.stack) {
        layer.maybeBuild(shape);
        shape = layer.computeOutputShape(shape);
        this.outputShapes.set(layer, shape);
      }
    });
    this.markBuilt(inputShape);
  }

  override call(inputs: Tensor, kwargs: CallArgs = {}): Tensor {
    if (this.stack.length === 0) throw new ValueError(`Sequential '${this.name}': has no layers`);
    let x: Tensor = inputs;
    let mask = kwargs.mask ?? null;
    for (const layer of this.stack) {
      const args: CallArgs = { ...kwargs };
      if (mask !== null) args.mask = mask;
      else delete args.mask;
      const y = layer.call(x, args) as Tensor;
      mask = (layer.computeMask(x, mask) as Tensor | null) ?? null;
      x = y;
    }
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      trainable: this.trainable,
      layers: [
        ...(this.inputLayer ? [{ className: "InputLayer", config: this.inputLayer.getConfig() }] : []),
        ...this.stack.map((l) => ({ className: l.className, config: l.getConfig() })),
      ],
    };
  }
}
