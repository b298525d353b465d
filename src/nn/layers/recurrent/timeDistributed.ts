// Keras: keras/src/layers/rnn/time_distributed.py
//
// Applies one layer (one set of weights) to every time step of `[N, T, ...]` inputs. Here time is
// folded into the batch dim — `[N·T, ...]` through the layer once, then unfolded — which equals
// Keras 3's per-step loop for every layer whose rows are independent (Dense, Conv2D, inference
// BatchNormalization, …) and costs one call instead of T. Keras 2 folded the same way.
// A mask passes through unchanged (Keras's supports_masking); it is handed to the wrapped layer
// (folded to `[N·T, ...]`) only when it has more than the time axis, i.e. masks the layer's own input.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { nestedLayer } from "./rnn.js";
import { fmtShape, where } from "../base/_util.js";

/**
 * Options of TimeDistributed (Keras's arguments, camelCase).
 *
 * @example new layers.TimeDistributed({ layer: new layers.Dense({ units: 8 }) })
 */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer to apply at every time step. */
  layer: Layer;
}

/**
 * Applies a layer to every temporal slice of an input (Keras's `TimeDistributed`).
 *
 * @example
 * const td = new layers.TimeDistributed({ layer: new layers.Dense({ units: 4 }) });
 * td.call(random.normal([2, 3, 6])); // [2, 3, 4]; weights: the Dense's kernel and bias
 */
export class TimeDistributed extends Layer {
  static override className = "TimeDistributed";
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    if (!(args.layer instanceof Layer))
      throw new ValueError(`${where(this)}: layer must be a layer instance, got ${String(args.layer)}`);
    this.layer = args.layer;
    this.supportsMasking = true;
  }

  override get subLayers(): Layer[] {
    return [this.layer];
  }

  /** The wrapped layer's input shape: time folded away. */
  private childShape(s: SymbolicShape): SymbolicShape {
    if (!Array.isArray(s) || s.length < 3)
      throw new ShapeError(
        `${where(this)}: expected input of rank ≥ 3 [batch, time, ...], got ${Array.isArray(s) ? fmtShape(s) : String(s)}`,
      );
    return [s[0] === null || s[1] === null ? null : s[0] * s[1], ...s.slice(2)];
  }

  override build(inputShape: ShapeTree): void {
    const child = this.childShape(inputShape as SymbolicShape);
    child[0] = null;
    if (!this.layer.built) {
      this.layer.build(child);
      this.layer.built = true;
      this.layer.buildInputShape = child;
    }
    this.built = true;
  }

  call(inputs: LayerInputs, kwargs: CallArgs = {}): Tensor {
    if (!(inputs instanceof Tensor))
      throw new ValueError(`${where(this)}: expected one input tensor [batch, time, ...]`);
    const x = inputs;
    this.childShape(x.shape);
    const [n, t, ...rest] = x.shape;
    const args: CallArgs = { training: kwargs.training ?? false };
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    if (mask !== undefined && mask !== null && mask.ndim > 2) {
      if (mask.shape[0] !== n || mask.shape[1] !== t)
        throw new ShapeError(
          `${where(this)}: expected a mask of shape [${n}, ${t}, ...], got ${fmtShape(mask.shape)}`,
        );
      args.mask = mask.reshape([n * t, ...mask.shape.slice(2)]);
    }
    const y = this.layer.call(x.reshape([n * t, ...rest]), args);
    if (!(y instanceof Tensor))
      throw new ValueError(
        `${where(this)}: the wrapped ${this.layer.className} '${this.layer.name}' must return one tensor`,
      );
    return y.reshape([n, t, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    const child = this.childShape(s);
    child[0] = s[0];
    const out = this.layer.computeOutputShape(child) as SymbolicShape;
    return [out[0], s[1], ...out.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      layer: { className: this.layer.className, config: this.layer.getConfig() },
    };
  }

  /** Rebuilds from `getConfig()`; `layer` must be a layer instance (the loader makes it). */
  static override fromConfig<T extends Layer>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    const layer = nestedLayer(config.layer, "layer", `TimeDistributed '${String(config.name)}'`);
    return new this({ ...config, layer } as never);
  }
}
