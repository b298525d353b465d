// Keras: keras/src/layers/rnn/bidirectional.py
//
// Runs a copy of the wrapped sequence layer forwards (`forward_<name>`) and one backwards
// (`backward_<name>`) over the same input and merges their outputs; with `returnSequences` the
// backward outputs are flipped back into time order first. Weights: the forward layer's, then the
// backward layer's (Keras's order). Initial states (a list) are split in half: forward, backward.
//
// Keras 2 vs 3:
// - Keras 3 forces `zero_output_for_mask = return_sequences` on both copies (masked steps emit
//   zeros, so the flipped backward sequence lines up); tf.keras 2 did the same; standalone Keras
//   ≤ 2.1 had no such flag (masked steps repeated the previous output). Keras 3 behaviour here.
// - The backward copy: Keras 3 sets `go_backwards=True`, tf.keras 2 toggles the wrapped layer's
//   `go_backwards`. They agree for the usual forward layer; toggling is used here so that Keras 2
//   models wrapping a backwards layer still load.
// - Copy names strip an existing `forward_`/`backward_` prefix first (Keras 3), so a config saved
//   from a Bidirectional (whose `layer` is already `forward_lstm`) round-trips.
import { ValueError } from "../../../core/errors.js";
import { concatenate, flip } from "../../../ops/index.js";
import { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { nestedLayer, RNN, sequenceAndStates, type RNNCallArgs, type RNNOutput } from "./rnn.js";
import { at, where } from "../base/_util.js";

/**
 * How the forward and backward outputs are combined; null returns both as a list.
 *
 * @example new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), mergeMode: "ave" })
 */
export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

const MERGE_MODES: readonly MergeMode[] = ["concat", "sum", "mul", "ave", null];

/** A layer with the sequence-layer attributes Bidirectional relies on (e.g. LSTM, GRU, SimpleRNN). */
interface SequenceLayer extends Layer {
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful?: boolean;
  zeroOutputForMask?: boolean;
  cloneArgs?: () => Record<string, unknown>;
}

/**
 * Options of Bidirectional (Keras's arguments, camelCase).
 *
 * @example new layers.Bidirectional({ layer: new layers.LSTM({ units: 4, returnSequences: true }), mergeMode: "sum" })
 */
export interface BidirectionalArgs extends LayerArgs {
  /** The sequence layer to run both ways (it is copied; its own weights are not used). */
  layer: Layer;
  /** Default "concat". */
  mergeMode?: MergeMode;
  /** A layer for the backward direction, instead of a copy of `layer` (must go the other way). */
  backwardLayer?: Layer;
}

const isSequenceLayer = (l: Layer): l is SequenceLayer => {
  const r = l as unknown as Record<string, unknown>;
  return ["goBackwards", "returnSequences", "returnState"].every((k) => typeof r[k] === "boolean");
};

const removePrefix = (s: string, prefix: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

/** A fresh copy of `layer` with some options changed (live activation objects are kept). */
function copyLayer(layer: SequenceLayer, changes: Record<string, unknown>): SequenceLayer {
  const args = layer.cloneArgs ? layer.cloneArgs() : layer.getConfig();
  const Ctor = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): Layer };
  return Ctor.fromConfig({ ...args, ...changes }) as SequenceLayer;
}

/** Builds a sublayer for `shape` unless it is built already. */
function buildSub(layer: Layer, shape: ShapeTree): void {
  if (layer.built) return;
  layer.build(shape);
  layer.built = true;
  layer.buildInputShape = shape;
}

/**
 * What `Bidirectional.call` returns for a wrapped layer `L` and `mergeMode` `M`: one tensor, or a
 * list (`mergeMode: null` gives `[forward, backward]`; with the layer's `returnState` the final
 * states follow). A layer whose `returnState` is not known statically gives either.
 *
 * @example
 * const [y, hf, cf, hb, cb] = new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnState: true }) }).call(x);
 */
export type BidirectionalOutput<L extends Layer, M extends MergeMode> = M extends null
  ? Tensor[]
  : RNNOutput<L extends RNN<infer S> ? S : boolean>;

/**
 * Bidirectional wrapper for recurrent layers (Keras's `Bidirectional`).
 *
 * Returns the merged output; with `mergeMode: null` the list `[forward, backward]`; with the
 * wrapped layer's `returnState` the final states follow: `[output, ...forwardStates, ...backwardStates]`.
 *
 * @example
 * const bi = new layers.Bidirectional({ layer: new layers.LSTM({ units: 8, returnSequences: true }) });
 * bi.call(x); // x [N, T, F] → [N, T, 16]; weights: forward_lstm's, then backward_lstm's
 */
export class Bidirectional<L extends Layer = Layer, M extends MergeMode = "concat"> extends Layer {
  static override className = "Bidirectional";
  readonly forwardLayer: SequenceLayer;
  readonly backwardLayer: SequenceLayer;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;

  constructor(args: BidirectionalArgs & { layer: L; mergeMode?: M }) {
    super(args);
    const name = where(this);
    const layer = args.layer;
    if (!(layer instanceof Layer) || !isSequenceLayer(layer))
      throw new ValueError(
        `${name}: layer must be a sequence layer with goBackwards, returnSequences and returnState ` +
          `(e.g. LSTM), got ${layer instanceof Layer ? where(layer) : String(layer)}`,
      );
    const mergeMode = args.mergeMode === undefined ? "concat" : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode))
      throw new ValueError(
        `${name}: mergeMode must be one of "concat", "sum", "mul", "ave" or null, got ${JSON.stringify(mergeMode)}`,
      );
    this.mergeMode = mergeMode;
    this.forwardLayer = copyLayer(layer, { name: `forward_${removePrefix(layer.name, "forward_")}` });
    if (args.backwardLayer === undefined)
      this.backwardLayer = copyLayer(layer, {
        name: `backward_${removePrefix(layer.name, "backward_")}`,
        goBackwards: !layer.goBackwards,
      });
    else if (args.backwardLayer instanceof Layer && isSequenceLayer(args.backwardLayer))
      this.backwardLayer = args.backwardLayer;
    else
      throw new ValueError(
        `${name}: backwardLayer must be a sequence layer like layer, got ${String(args.backwardLayer)}`,
      );
    this.verifyPair(name);
    for (const l of [this.forwardLayer, this.backwardLayer])
      if (typeof l.zeroOutputForMask === "boolean") l.zeroOutputForMask = l.returnSequences;
    this.returnSequences = this.forwardLayer.returnSequences;
    this.returnState = this.forwardLayer.returnState;
    this.stateful = this.forwardLayer.stateful ?? false;
    this.supportsMasking = true;
  }

  /** Keras's `_verify_layer_config`: opposite directions, same stateful/returnSequences/returnState. */
  private verifyPair(name: string): void {
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards)
      throw new ValueError(
        `${name}: the forward and backward layers must have different goBackwards, both have ${f.goBackwards}`,
      );
    for (const k of ["stateful", "returnSequences", "returnState"] as const)
      if ((f[k] ?? false) !== (b[k] ?? false))
        throw new ValueError(
          `${name}: the forward and backward layers must have the same ${k}, got ${f[k]} (forward) and ${b[k]} (backward)`,
        );
  }

  override get subLayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: ShapeTree): void {
    const s = Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    buildSub(this.forwardLayer, s as SymbolicShape);
    buildSub(this.backwardLayer, s as SymbolicShape);
    this.built = true;
  }

  call(inputs: LayerInputs, kwargs: RNNCallArgs = {}): BidirectionalOutput<L, M> {
    const { x, states } = sequenceAndStates(this, inputs, kwargs);
    if (states !== null && states.length % 2 !== 0)
      throw new ValueError(
        at(this, `initial states are split in half (forward, backward); got an odd number, ${states.length}`),
      );
    const sub = (part: Tensor[] | null): CallArgs => {
      const a: CallArgs = { training: kwargs.training ?? false };
      if (kwargs.mask !== undefined && kwargs.mask !== null) a.mask = kwargs.mask;
      if (part !== null) a.initialState = part;
      return a;
    };
    const half = states === null ? 0 : states.length / 2;
    let y = this.forwardLayer.call(x, sub(states?.slice(0, half) ?? null));
    let yRev = this.backwardLayer.call(x, sub(states?.slice(half) ?? null));
    let finalStates: Tensor[] = [];
    if (this.returnState) {
      const [yf, ...sf] = y as Tensor[];
      const [yb, ...sb] = yRev as Tensor[];
      finalStates = [...sf, ...sb];
      y = yf;
      yRev = yb;
    }
    let bwd = yRev as Tensor;
    if (this.returnSequences) bwd = flip(bwd, 1);
    const merged = this.merge(y as Tensor, bwd);
    if (!this.returnState) return (merged.length === 1 ? merged[0] : merged) as BidirectionalOutput<L, M>;
    return [...merged, ...finalStates] as BidirectionalOutput<L, M>;
  }

  /** The merged output (one tensor), or both outputs with mergeMode null. */
  private merge(y: Tensor, yRev: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case "concat":
        return [concatenate([y, yRev], -1)];
      case "sum":
        return [y.add(yRev)];
      case "ave":
        return [y.add(yRev).div(2)];
      case "mul":
        return [y.mul(yRev)];
      default:
        return [y, yRev];
    }
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    let out = this.forwardLayer.computeOutputShape(s as SymbolicShape) as SymbolicShape | SymbolicShape[];
    let stateShapes: SymbolicShape[] = [];
    if (this.returnState) {
      const list = out as SymbolicShape[];
      out = list[0];
      stateShapes = list.slice(1);
    }
    const y = out as SymbolicShape;
    let merged: SymbolicShape[];
    if (this.mergeMode === "concat") {
      const last = y[y.length - 1];
      merged = [[...y.slice(0, -1), last === null ? null : 2 * last]];
    } else if (this.mergeMode === null) merged = [y.slice(), y.slice()];
    else merged = [y.slice()];
    if (!this.returnState) return merged.length === 1 ? merged[0] : merged;
    return [...merged, ...stateShapes, ...stateShapes];
  }

  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): CallArgs["mask"] {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const out = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [out, out] : [out];
    if (!this.returnState) return outputs.length === 1 ? outputs[0] : outputs;
    const n = this.forwardLayer instanceof RNN ? this.forwardLayer.cell.stateCount : 0;
    return [...outputs, ...new Array<null>(2 * n).fill(null)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: { className: this.forwardLayer.className, config: this.forwardLayer.getConfig() },
      backwardLayer: { className: this.backwardLayer.className, config: this.backwardLayer.getConfig() },
    };
  }

  /** Rebuilds from `getConfig()`; `layer` and `backwardLayer` must be layer instances (the loader makes them). */
  static override fromConfig<T extends Layer>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    const owner = `Bidirectional '${String(config.name)}'`;
    const layer = nestedLayer(config.layer, "layer", owner);
    const backward =
      config.backwardLayer === undefined || config.backwardLayer === null
        ? undefined
        : nestedLayer(config.backwardLayer, "backwardLayer", owner);
    return new this({ ...config, layer, backwardLayer: backward } as never);
  }
}
