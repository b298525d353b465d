import type { DType } from "../core/dtype.js";
import type { Layer } from "./layer.js";

/**
 * A shape with `null` for dimensions not known until call time (the batch dim, variable lengths).
 *
 * @example
 * const shape: SymbolicShape = Input({ shape: [null, 8] }).shape; // [null, null, 8]: batch and time
 */
export type SymbolicShape = (number | null)[];

/**
 * One call of a layer in a functional graph: which symbolic tensors went in (with the structure
 * they were passed in) and which came out.
 *
 * @example
 * const x = Input({ shape: [3] });
 * const y = dense.apply(x);
 * y.node.layer === dense; y.node.flatInputs[0] === x; dense.inboundNodes[0] === y.node; // all true
 */
export class Node {
  constructor(
    readonly layer: Layer,
    /** Inputs as passed: one tensor, a list, or a named object. */
    readonly inputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor> | null,
    readonly outputs: SymbolicTensor[],
    /** Non-tensor keyword arguments of the call. */
    readonly kwargs: Record<string, unknown>,
    /** Whether the layer returned a list (true) or a single tensor. */
    readonly outputIsList: boolean,
  ) {}

  /** The symbolic inputs, flattened in call order. */
  get flatInputs(): SymbolicTensor[] {
    return flattenSymbolic(this.inputs);
  }
}

/**
 * A placeholder for a tensor in a functional model under construction (Keras's KerasTensor):
 * it knows its shape, dtype and the layer call that produces it, but has no values.
 *
 * @example
 * const x: SymbolicTensor = Input({ shape: [3] }); // shape [null, 3]
 * const y = new layers.Dense({ units: 2 }).apply(x); // shape [null, 2], y.layer is the Dense
 * const model = new Model({ inputs: x, outputs: y });
 */
export class SymbolicTensor {
  /** Set once the producing node is created. */
  node!: Node;
  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    /** Position among the producing node's outputs. */
    readonly index: number,
    readonly name: string,
  ) {}

  get layer(): Layer {
    return this.node.layer;
  }

  /** Keras's `keras_history`: [layer name, node index within that layer, tensor index]. */
  get history(): [string, number, number] {
    return [this.node.layer.name, this.node.layer.inboundNodes.indexOf(this.node), this.index];
  }

  toString(): string {
    return `<SymbolicTensor shape=(${this.shape.map((d) => (d === null ? "None" : d)).join(", ")}) dtype=${this.dtype} name=${this.name}>`;
  }
}

/** Whether any leaf of `x` (a tensor, list or plain object) is symbolic. */
export function containsSymbolic(x: unknown): boolean {
  if (x instanceof SymbolicTensor) return true;
  if (Array.isArray(x)) return x.some(containsSymbolic);
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.values(x).some(containsSymbolic);
  return false;
}

export function flattenSymbolic(x: unknown): SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return [x];
  if (Array.isArray(x)) return x.flatMap(flattenSymbolic);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(flattenSymbolic);
  return [];
}
