/**
 * The layer registry: Keras class name → a function that builds a gradlens layer from its
 * (converted) config. Every class in src/nn/layers has a built-in entry (builtins.ts); users add
 * their own classes with `registerLayer`, which is how models with custom layers load.
 */
import { ValueError } from "../../core/errors.js";
import type { KerasFlavor } from "../../nn/activations.js";
import type { Layer } from "../../nn/layer.js";
import type { CanonicalLayer, KerasMajor } from "../config/index.js";

/**
 * What a layer builder knows about where it is called from.
 *
 * @example
 * registerLayer("Scale", (config, ctx) => new Scale({ name: ctx.layerName, factor: config.factor as number }));
 */
export interface LayerBuildContext {
  /** The Keras class name in the file (`"Dense"`, `"DistributionAwareEncoder"`). */
  className: string;
  /** The layer's name in the file. */
  layerName: string;
  /** The file, as every error names it (e.g. `model.keras (config.json)`). */
  label: string;
  /** Keras major version whose math the file follows (TF.js files count as 2). */
  kerasMajor: KerasMajor;
  /** Which definition ambiguous activations (`hard_sigmoid`) follow in this file. */
  activationFlavor: KerasFlavor;
  /** The layer as the file describes it, in the canonical dialect (snake_case Keras 3 names). */
  canonical: CanonicalLayer;
  /**
   * Builds a nested layer (for example a sub-layer your custom layer keeps in its config) through
   * the registry, with the same file and version context.
   */
  buildLayer(layer: CanonicalLayer): Layer;
}

/**
 * Builds a gradlens layer. `config` is the file's config converted to the TS options: camelCase
 * keys (`embedding_dim` → `embeddingDim`), initializers as `{ className, config }` specs,
 * activations resolved to functions with the file's Keras flavor, nested layers (`layer`, `cell`,
 * `backwardLayer`) already built, and no `dtype` (gradlens computes in float64).
 *
 * @example const builder: LayerBuilder = (config) => new layers.Dense(config as never);
 */
export type LayerBuilder = (config: Record<string, unknown>, ctx: LayerBuildContext) => Layer;

const builtins = new Map<string, LayerBuilder>();
const user = new Map<string, LayerBuilder>();

/**
 * Classes whose configs hold Python code: they are never built, whatever is registered.
 *
 * @example CODE_CLASSES.has("Lambda"); // true
 */
export const CODE_CLASSES = new Set(["Lambda", "TFOpLambda", "SlicingOpLambda"]);

/**
 * Installs a built-in entry (used by builtins.ts only).
 *
 * @example registerBuiltin("Dense", (config) => new layers.Dense(config as never));
 */
export function registerBuiltin(className: string, builder: LayerBuilder): void {
  builtins.set(className, builder);
}

/**
 * Registers a builder for a Keras layer class, so that files containing it load. A user entry
 * takes precedence over a built-in one of the same name.
 *
 * @example
 * // keras3/kdp/test_model.keras holds a custom `DistributionAwareEncoder` (module
 * // kdp.layers.distribution_aware_encoder_layer). Re-implement it as a gradlens Layer whose
 * // sub-layers are properties named like the Python attributes (`distributionTransform`,
 * // `projection`), so its weights load from `layers/<key>/distribution_transform/vars` etc.:
 * registerLayer("DistributionAwareEncoder", (config, ctx) =>
 *   new DistributionAwareEncoder({
 *     name: ctx.layerName,
 *     embeddingDim: config.embeddingDim as number,
 *     epsilon: config.epsilon as number,
 *   }),
 * );
 * const model = await loadModel("test_model.keras");
 */
export function registerLayer(className: string, builder: LayerBuilder): void {
  if (typeof className !== "string" || className === "")
    throw new ValueError(`registerLayer: className must be a non-empty string, got ${String(className)}`);
  if (typeof builder !== "function")
    throw new ValueError(`registerLayer('${className}'): builder must be a function (config, ctx) => Layer`);
  if (CODE_CLASSES.has(className))
    throw new ValueError(
      `registerLayer('${className}'): ${className} layers hold Python code; replace a specific layer with ` +
        `loadModel(source, { overrides: { <layer name>: (config, ctx) => yourLayer } }) instead`,
    );
  user.set(className, builder);
}

/**
 * Removes a class registered with `registerLayer` (built-in entries stay). Returns whether one was removed.
 *
 * @example unregisterLayer("DistributionAwareEncoder");
 */
export function unregisterLayer(className: string): boolean {
  return user.delete(className);
}

/**
 * Whether a class has a built-in entry (a Keras layer class gradlens implements).
 *
 * @example isBuiltinClass("LSTM"); // true
 */
export function isBuiltinClass(className: string): boolean {
  return builtins.has(className);
}

/**
 * The Keras 3 `module` and `registered_name` of layers built from custom classes, so that saving
 * writes them back as the file had them.
 *
 * @example customOrigin.get(encoder); // { module: "kdp.layers.…", registeredName: "DistributionAwareEncoder" }
 */
export const customOrigin = new WeakMap<Layer, { module?: string; registeredName?: string }>();

/**
 * The builder for a class: the user's, else the built-in one, else undefined.
 *
 * @example layerBuilder("Dense")?.(config, ctx);
 */
export function layerBuilder(className: string): LayerBuilder | undefined {
  return user.get(className) ?? builtins.get(className);
}

/**
 * Every class name the registry can build, sorted (built-in and registered).
 *
 * @example registeredLayerClasses().includes("LSTM"); // true
 */
export function registeredLayerClasses(): string[] {
  return [...new Set([...builtins.keys(), ...user.keys()])].sort();
}
