/**
 * What can be analysed: a function of named batch-first inputs, or any model object with
 * `inputNames` and `call` (gradlens `Model`s satisfy `ModelLike`). Either way the target must be
 * *row-independent*: sample i's output may depend only on sample i's inputs. Layers that mix
 * samples (batch normalisation in training mode, a (N,1) tensor times a (N,) tensor broadcasting to
 * (N,N)) break that; `analyze` checks for it and says so.
 */
import { ShapeError, ValueError, DTypeError } from "../core/errors.js";
import { Tensor } from "../prims/tensor.js";

/**
 * Named batch-first inputs → one output, a list of outputs, or named outputs.
 *
 * @example
 * const f: TargetFunction = ({ price, features }) => features.matmul(w).add(1).mul(price.reshape([-1, 1]));
 */
export type TargetFunction = (
  inputs: Record<string, Tensor>,
) => Tensor | readonly Tensor[] | Record<string, Tensor>;

/**
 * The shape of a gradlens `Model` as far as sensitivity analysis needs it.
 *
 * @example
 * const named: ModelLike = { inputNames: ["price", "features"], outputNames: ["revenue"], call: f };
 * const positional: ModelLike = {
 *   inputNames: ["price", "features"],
 *   isFunctional: false,
 *   call: ([price, features]) => features.matmul(w).add(1).mul(price.reshape([-1, 1])),
 * };
 */
export interface ModelLike {
  readonly inputNames: readonly string[];
  readonly outputNames?: readonly string[];
  /**
   * False for a subclassed model whose `call()` takes its inputs positionally, as Keras passes
   * them: it then receives a list in `inputNames` order (one tensor when it has one input).
   * Otherwise (true or absent) `call` receives the named object.
   */
  readonly isFunctional?: boolean;
  call(
    inputs: Record<string, Tensor> | Tensor | readonly Tensor[],
  ): Tensor | readonly Tensor[] | Record<string, Tensor>;
}

/**
 * A function or a model.
 *
 * @example
 * analyze(myModel as Target, data);
 */
export type Target = TargetFunction | ModelLike;

/** Whether `t` is a model (has `inputNames` and a `call` method) rather than a plain function. */
export function isModelLike(t: unknown): t is ModelLike {
  return (
    typeof t === "object" &&
    t !== null &&
    Array.isArray((t as ModelLike).inputNames) &&
    typeof (t as ModelLike).call === "function"
  );
}

/**
 * Calls the target on named batch-first inputs. Positional models get a list in `inputNames`
 * order, the convention `src/nn/derivatives.ts` also follows for subclassed gradlens Models.
 */
export function invokeTarget(target: Target, inputs: Record<string, Tensor>): unknown {
  if (!isModelLike(target)) return target(inputs);
  if (target.isFunctional !== false) return target.call(inputs);
  const list = target.inputNames.map((n) => inputs[n]);
  return target.call(list.length === 1 ? list[0] : list);
}

/** The outputs of one call as an ordered list with names. */
export interface NamedOutputs {
  names: string[];
  tensors: Tensor[];
}

/**
 * Names and orders what a target returned: a tensor is output `outputNames[0]` (default
 * "output"); a list gives `outputNames[i]` (default `output_i`); an object keeps its keys.
 */
export function nameOutputs(raw: unknown, outputNames: readonly string[] | undefined): NamedOutputs {
  const check = (t: unknown, name: string): Tensor => {
    if (!(t instanceof Tensor))
      throw new ValueError(
        `analyze: output '${name}' of the target is not a Tensor (got ${t === null ? "null" : typeof t})`,
      );
    if (t.dtype !== "float64" && t.dtype !== "float32")
      throw new DTypeError(
        `analyze: output '${name}' has dtype ${t.dtype}; only float outputs can be differentiated`,
      );
    if (t.ndim === 0)
      throw new ShapeError(
        `analyze: output '${name}' is a scalar; the target must return batch-first outputs ([N], [N,1] or [N,k]), ` +
          `one row per sample — do not reduce over the batch`,
      );
    return t;
  };
  if (raw instanceof Tensor) {
    const name = outputNames?.[0] ?? "output";
    return { names: [name], tensors: [check(raw, name)] };
  }
  if (Array.isArray(raw)) {
    const names = raw.map((_, i) => outputNames?.[i] ?? `output_${i}`);
    return { names, tensors: raw.map((t, i) => check(t, names[i])) };
  }
  if (typeof raw === "object" && raw !== null) {
    const names = Object.keys(raw);
    return { names, tensors: names.map((k) => check((raw as Record<string, unknown>)[k], k)) };
  }
  throw new ValueError(
    `analyze: the target returned ${raw === null ? "null" : typeof raw}; expected a Tensor, a list of Tensors or an object of Tensors`,
  );
}
