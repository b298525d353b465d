/**
 * What can be analysed: a function of named batch-first inputs, or any model object with
 * `inputNames` and `call` (gradlens `Model`s satisfy `ModelLike`). Either way the target must be
 * *row-independent*: sample i's output may depend only on sample i's inputs. Layers that mix
 * samples (batch normalisation in training mode, a (N,1) tensor times a (N,) tensor broadcasting to
 * (N,N)) break that; `analyze` checks for it and says so.
 */
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { isThenable } from "../../core/thenable.js";
import { uniqueNames } from "../../nn/naming.js";
import { Tensor } from "../../prims/tensor.js";

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
 * Refuses what is neither a function nor a model, naming the common mistake: a Promise from an
 * un-awaited `loadModel(...)`.
 */
export function checkTarget(target: unknown, who: string): asserts target is Target {
  if (isThenable(target))
    throw new ValueError(
      `${who}: the target is a Promise, not a model; did you forget \`await loadModel(...)\`?`,
    );
  if (typeof target !== "function" && !isModelLike(target))
    throw new ValueError(
      `${who}: target must be a function of named inputs or a model with inputNames and call(), got ${
        target === null ? "null" : Array.isArray(target) ? "an array" : typeof target
      }`,
    );
}

/**
 * Whether the target takes its inputs positionally (a list in input order, one tensor when there
 * is one input): a subclassed model that says so (`isFunctional: false`), or a model that declares
 * no input names — Keras calls those positionally too.
 */
export function isPositional(target: Target): boolean {
  return isModelLike(target) && (target.isFunctional === false || target.inputNames.length === 0);
}

/**
 * Calls the target on named batch-first inputs. Positional models get a list in `names` order
 * (one tensor when there is one input).
 */
export function invokeTarget(
  target: Target,
  inputs: Record<string, Tensor>,
  names: readonly string[],
): unknown {
  if (!isModelLike(target)) return target(inputs);
  if (!isPositional(target)) return target.call(inputs);
  const list = names.map((n) => inputs[n]);
  return target.call(list.length === 1 ? list[0] : list);
}

/** The outputs of one call as an ordered list with names. */
export interface NamedOutputs {
  names: string[];
  tensors: Tensor[];
}

/**
 * Names and orders what a target returned: a tensor is output `outputNames[0]` (default
 * "output"); a list gives `outputNames[i]` (default `output_i`); an object keeps its keys. Names
 * of a list are made unique as tf.keras does (`name`, `name_1`, …), so no result keyed by output
 * name can lose an output.
 */
export function nameOutputs(
  raw: unknown,
  outputNames: readonly string[] | undefined,
  who = "analyze",
): NamedOutputs {
  const check = (t: unknown, name: string): Tensor => {
    if (!(t instanceof Tensor))
      throw new ValueError(
        `${who}: output '${name}' of the target is not a Tensor (got ${t === null ? "null" : Array.isArray(t) ? "an array" : typeof t})`,
      );
    if (t.dtype !== "float64" && t.dtype !== "float32")
      throw new DTypeError(
        `${who}: output '${name}' has dtype ${t.dtype}; only float outputs can be differentiated`,
      );
    if (t.ndim === 0)
      throw new ShapeError(
        `${who}: output '${name}' is a scalar; the target must return batch-first outputs ([N], [N,1] or [N,k]), ` +
          `one row per sample — do not reduce over the batch`,
      );
    return t;
  };
  if (raw instanceof Tensor) {
    const name = outputNames?.[0] ?? "output";
    return { names: [name], tensors: [check(raw, name)] };
  }
  if (Array.isArray(raw)) {
    const names = uniqueNames(raw.map((_, i) => outputNames?.[i] ?? `output_${i}`));
    return { names, tensors: raw.map((t, i) => check(t, names[i])) };
  }
  if (typeof raw === "object" && raw !== null) {
    const names = Object.keys(raw);
    return { names, tensors: names.map((k) => check((raw as Record<string, unknown>)[k], k)) };
  }
  throw new ValueError(
    `${who}: the target returned ${raw === null ? "null" : typeof raw}; expected a Tensor, a list of Tensors or an object of Tensors`,
  );
}
