/**
 * Option types every layer file shares: how an activation or an initializer may be given, and
 * Keras's regularizer and constraint options, which act only in training. gradlens accepts those
 * for compatibility and keeps them in the config, so a loaded model saves back as it came.
 */
import type { Tensor } from "../../../prims/tensor.js";
import type * as initializers from "../../initializers.js";

/**
 * An activation given by Keras name, as a function, or null for linear.
 *
 * @example new layers.Dense({ units: 4, activation: "relu" })
 */
export type ActivationLike = string | ((x: Tensor) => Tensor) | null;

/**
 * An initializer given by Keras name, instance, or `{ className, config }`.
 *
 * @example new layers.Dense({ units: 4, kernelInitializer: initializers.constant(0.1) })
 */
export type InitializerLike = string | initializers.Initializer | initializers.InitializerSpec;

/**
 * The regularizer and constraint options of the weights named `W` (`kernelRegularizer`,
 * `kernelConstraint`, …): accepted for Keras compatibility and kept in the config; they act only
 * in training.
 *
 * @example
 * interface MyDenseArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {}
 */
export type TrainingOnlyArgs<W extends string> = {
  [K in `${W}Regularizer` | `${W}Constraint`]?: unknown;
};

/**
 * The values of the training-only options of `weights`, null where not given, in Keras's config
 * order: each weight's regularizer, then `activityRegularizer` (when `activity`), then each
 * weight's constraint.
 *
 * @example
 * trainingOnlyOptions({ kernelRegularizer: "l2" }, ["kernel", "bias"], true);
 * // { kernelRegularizer: "l2", biasRegularizer: null, activityRegularizer: null,
 * //   kernelConstraint: null, biasConstraint: null }
 */
export function trainingOnlyOptions(
  args: object,
  weights: readonly string[],
  activity = false,
): Record<string, unknown> {
  const given = args as Record<string, unknown>;
  const keys = [
    ...weights.map((w) => `${w}Regularizer`),
    ...(activity ? ["activityRegularizer"] : []),
    ...weights.map((w) => `${w}Constraint`),
  ];
  return Object.fromEntries(keys.map((k) => [k, given[k] ?? null]));
}
