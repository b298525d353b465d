/**
 * A canonical layer config (snake_case Keras 3 names) → the options object of a gradlens layer
 * constructor (camelCase), the step every registry entry shares.
 */
import * as activations from "../../nn/activations.js";
import * as initializers from "../../nn/initializers.js";
import type { Layer } from "../../nn/layer.js";
import type { CanonicalLayer } from "../config/index.js";
import { UnsupportedLayerError } from "../errors.js";
import type { LayerBuildContext } from "./registry.js";
import { nameTable } from "../../core/table.js";

/**
 * `kernel_initializer` → `kernelInitializer`, `conv2d_1` stays as is (only `_x` with a letter or
 * digit after it changes).
 *
 * @example snakeToCamel("recurrent_activation"); // "recurrentActivation"
 */
export const snakeToCamel = (s: string): string =>
  s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `kernelInitializer` → `kernel_initializer`, the inverse of `snakeToCamel` for Keras argument names.
 *
 * @example camelToSnake("useBias"); // "use_bias"
 */
export const camelToSnake = (s: string): string =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();

/** Keys of a config that hold nested layers (wrappers, RNN cells). */
const NESTED_KEYS = new Set(["layer", "backward_layer", "cell"]);
/** Keys the loader drops: gradlens computes in float64 whatever the file's dtype. */
const DROPPED_KEYS = new Set(["dtype"]);

/** Keras 3.0–3.3 spell a few initializer classes differently (keras/src/initializers/__init__.py aliases). */
const INITIALIZER_ALIASES: Record<string, string> = nameTable({
  OrthogonalInitializer: "Orthogonal",
  IdentityInitializer: "Identity",
  ConstantInitializer: "Constant",
  STFTInitializer: "Zeros",
});

/** `{class_name, config}` → an initializer spec gradlens knows; unknown classes fall back to zeros (weights come from the file). */
function initializerSpec(value: unknown): initializers.InitializerSpec | null {
  if (value === null || value === undefined) return null;
  const v = value as { class_name?: unknown; config?: unknown };
  if (typeof v.class_name !== "string") return { className: "Zeros", config: {} };
  const spec: initializers.InitializerSpec = {
    className: INITIALIZER_ALIASES[v.class_name] ?? v.class_name,
    config: (v.config as Record<string, unknown> | undefined) ?? {},
  };
  try {
    initializers.get(spec);
    return spec;
  } catch {
    return { className: "Zeros", config: {} };
  }
}

function activation(value: unknown, key: string, ctx: LayerBuildContext): activations.Activation {
  if (typeof value !== "string")
    throw new UnsupportedLayerError(
      `${ctx.label}: layer '${ctx.layerName}' (${ctx.className}): ${key} is an object ` +
        `(${JSON.stringify(value).slice(0, 80)}), not a Keras activation name; only named activations are supported`,
    );
  try {
    return activations.get(value, ctx.activationFlavor);
  } catch {
    throw new UnsupportedLayerError(
      `${ctx.label}: layer '${ctx.layerName}' (${ctx.className}): unknown activation '${value}' ` +
        `(known: ${activations.ACTIVATION_NAMES.join(", ")})`,
    );
  }
}

/**
 * The TS options of a canonical layer: camelCase keys, initializers as specs, activations
 * resolved with the file's flavor, nested layers (`layer`, `backward_layer`, `cell`, `cells`)
 * built through `ctx.buildLayer`, and `dtype` dropped. Other values (regularizers, constraints,
 * unknown keys) pass through as data.
 *
 * @example
 * toLayerOptions(canonicalDense, ctx);
 * // { name: "dense_1", units: 8, activation: [Function relu], useBias: true, kernelInitializer: { className: "GlorotUniform", config: {} }, … }
 */
export function toLayerOptions(layer: CanonicalLayer, ctx: LayerBuildContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer.config)) {
    if (DROPPED_KEYS.has(key)) continue;
    const camel = snakeToCamel(key);
    if (NESTED_KEYS.has(key) && isCanonicalLayer(value)) out[camel] = ctx.buildLayer(value);
    else if ((key === "cells" || key === "cell") && Array.isArray(value))
      out[camel] = value.map((c) => (isCanonicalLayer(c) ? ctx.buildLayer(c) : c));
    else if (key === "activation" || key === "recurrent_activation") out[camel] = activation(value, key, ctx);
    else if (key.endsWith("_initializer")) out[camel] = initializerSpec(value);
    else out[camel] = value;
  }
  out.name = layer.name;
  return out;
}

/**
 * Whether a config value is a nested canonical layer.
 *
 * @example isCanonicalLayer(bidirectional.config.layer); // true
 */
export function isCanonicalLayer(value: unknown): value is CanonicalLayer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CanonicalLayer).className === "string" &&
    typeof (value as CanonicalLayer).config === "object"
  );
}

/**
 * The gradlens layer a builder returned, checked (a builder returning something else is a user bug).
 *
 * @example const layer = checkBuilt(builder(options, ctx), ctx);
 */
export function checkBuilt(built: unknown, ctx: LayerBuildContext): Layer {
  const isLayer =
    typeof built === "object" &&
    built !== null &&
    typeof (built as Layer).call === "function" &&
    "weights" in built;
  if (!isLayer)
    throw new UnsupportedLayerError(
      `${ctx.label}: layer '${ctx.layerName}' (${ctx.className}): the registered builder returned ` +
        `${built === null ? "null" : typeof built}, not a gradlens Layer`,
    );
  return built as Layer;
}
