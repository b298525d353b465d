/**
 * Value conventions: every dialect's spelling of dtypes, activations, initializers/regularizers/
 * constraints and spatial tuples rewritten to the Keras 3 form.
 */
import { UnsupportedLayerError } from "../errors.js";
import { at, describe, fail, isObject, type JsonObject, type Where } from "./json.js";
import { nameTable } from "../../core/table.js";

/**
 * Dtype policy names → the dtype the layer's *variables* use. gradlens computes in float64, so a
 * mixed policy's float16 compute dtype does not matter; its weights are stored in float32.
 * Keras 3: keras/src/dtype_policies/dtype_policy.py (`mixed_float16` = float32 variables);
 * tf.keras: mixed_precision/policy.py (`_infer` = follow the input, float32 by default).
 */
const POLICY_VARIABLE_DTYPE: Record<string, string> = nameTable({
  mixed_float16: "float32",
  mixed_bfloat16: "float32",
  _infer: "float32",
});
const POLICY_CLASSES = new Set(["DTypePolicy", "FloatDTypePolicy", "Policy", "PolicyV1"]);

/**
 * A layer's `dtype`: a plain string (Keras 1/2, TF.js, Keras ≤3.3), a `DTypePolicy` object
 * (Keras ≥3.4: `{module, class_name: "DTypePolicy", config: {name}}`) or a tf.keras `Policy`
 * object → plain dtype string. `null` means Keras' floatx, `float32`.
 */
export function normalizeDtype(value: unknown, where: Where): string {
  if (value === null || value === undefined) return "float32";
  let name: unknown = value;
  if (isObject(value)) {
    const cls = value.class_name;
    if (typeof cls === "string" && /Quantized|Int8|Float8/.test(cls))
      throw new UnsupportedLayerError(
        `${where.label}: ${where.path}: quantized dtype policy '${cls}' is not supported; ` +
          "gradlens needs the float weights (save the model before quantizing it)",
      );
    if (typeof cls !== "string" || !POLICY_CLASSES.has(cls))
      fail(where.label, where.path, `expected a dtype or a DTypePolicy, got ${describe(value)}`);
    name = isObject(value.config) ? value.config.name : undefined;
  }
  if (typeof name !== "string" || name === "")
    fail(where.label, where.path, `expected a dtype name, got ${describe(name)}`);
  if (/^int8_from_|^float8_from_|^int4_from_/.test(name))
    throw new UnsupportedLayerError(
      `${where.label}: ${where.path}: quantized dtype policy '${name}' is not supported; ` +
        "gradlens needs the float weights (save the model before quantizing it)",
    );
  return POLICY_VARIABLE_DTYPE[name] ?? name;
}

/** `hardSigmoid` → `hard_sigmoid` (TF.js ts names); snake_case names pass through. */
function snakeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * An activation argument → a lower-case name, or `{ class_name, config }` for an activation given
 * as an object (e.g. a layer instance in tf.keras). `null` means linear in every Keras and in TF.js
 * (tfjs-layers activations.ts `getActivation(null)`). Keras 3 may wrap functions as
 * `{class_name: "function", config: "relu"}`. Names are kept as written (`hard_sigmoid` differs
 * between Keras 2 and 3; `CanonicalModel.kerasMajor` decides).
 */
export function normalizeActivation(value: unknown, where: Where): unknown {
  if (value === null || value === undefined) return "linear";
  if (typeof value === "string") {
    if (value === "") fail(where.label, where.path, "expected an activation name, got an empty string");
    return snakeName(value);
  }
  if (isObject(value) && value.class_name === "function" && typeof value.config === "string")
    return snakeName(value.config);
  if (isObject(value) && typeof value.class_name === "string") return normalizeKerasObject(value, where);
  return fail(where.label, where.path, `expected an activation name, got ${describe(value)}`);
}

/** Identifier strings accepted by Keras 1/2/3 `initializers.get`, `regularizers.get`, `constraints.get`. */
const OBJECT_ALIASES: Record<string, string> = nameTable({
  zero: "Zeros",
  zeros: "Zeros",
  one: "Ones",
  ones: "Ones",
  // Keras 1 'normal'/'uniform' are N(0, 0.05) and U(-0.05, 0.05): the Keras 2/3 RandomNormal/RandomUniform defaults.
  normal: "RandomNormal",
  uniform: "RandomUniform",
  random_normal: "RandomNormal",
  random_uniform: "RandomUniform",
  truncated_normal: "TruncatedNormal",
  glorot_uniform: "GlorotUniform",
  glorot_normal: "GlorotNormal",
  he_uniform: "HeUniform",
  he_normal: "HeNormal",
  lecun_uniform: "LecunUniform",
  lecun_normal: "LecunNormal",
  orthogonal: "Orthogonal",
  identity: "Identity",
  constant: "Constant",
  variance_scaling: "VarianceScaling",
  l1: "L1",
  l2: "L2",
  l1_l2: "L1L2",
  max_norm: "MaxNorm",
  maxnorm: "MaxNorm",
  non_neg: "NonNeg",
  nonneg: "NonNeg",
  unit_norm: "UnitNorm",
  unitnorm: "UnitNorm",
  min_max_norm: "MinMaxNorm",
});
/** Keras 1 serialised regularizers as `{name: "WeightRegularizer", l1, l2}` (keras 1.2 regularizers.py). */
const KERAS1_OBJECT_NAMES: Record<string, string> = nameTable({
  WeightRegularizer: "L1L2",
  ActivityRegularizer: "L1L2",
  L1L2Regularizer: "L1L2",
});

/**
 * An initializer, regularizer or constraint → `{ class_name, config }` with Keras 3's
 * `module`/`registered_name`/`shared_object_id` stripped, identifier strings expanded
 * (`"glorot_uniform"` → `{class_name: "GlorotUniform", config: {}}`) and Keras 1's
 * `{name: "WeightRegularizer", l1, l2}` / `{name: "MaxNorm", m}` rewritten (`m` → `max_value`).
 * tf.keras 1.x initializers carried a `dtype` argument that Keras 3 no longer has; it is dropped.
 */
export function normalizeKerasObject(value: unknown, where: Where): JsonObject | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    const className = OBJECT_ALIASES[value] ?? pascalCase(value);
    return { class_name: className, config: {} };
  }
  if (!isObject(value))
    return fail(where.label, where.path, `expected a Keras object, got ${describe(value)}`);
  if (typeof value.class_name === "string") {
    const config = value.config === undefined || value.config === null ? {} : value.config;
    if (!isObject(config))
      fail(where.label, at(where.path, "config"), `expected an object, got ${describe(config)}`);
    const { dtype: _dtype, ...rest } = config;
    return { class_name: value.class_name, config: rest };
  }
  if (typeof value.name === "string") {
    const { name, m, ...rest } = value;
    const config: JsonObject = { ...rest };
    if (m !== undefined) config.max_value = m;
    return { class_name: KERAS1_OBJECT_NAMES[name as string] ?? (name as string), config };
  }
  return fail(where.label, where.path, `expected {class_name, config}, got ${describe(value)}`);
}

function pascalCase(snake: string): string {
  return snake
    .split("_")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

/**
 * `3` → `[3, 3]` for a 2D layer, `[3]` stays `[3]` for a 1D layer — Keras' `standardize_tuple`.
 * `null` stays `null` (e.g. `output_padding`); a wrong length or a non-integer is an error.
 */
export function normalizeTuple(value: unknown, rank: number, where: Where, min = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "number" && Number.isInteger(value) && value >= min)
    return new Array(rank).fill(value);
  if (
    Array.isArray(value) &&
    value.length === rank &&
    value.every((v) => typeof v === "number" && Number.isInteger(v) && v >= min)
  )
    return [...value];
  return fail(
    where.label,
    where.path,
    `expected an integer ≥ ${min} or ${rank} of them, got ${describe(value)}${Array.isArray(value) ? ` ${JSON.stringify(value)}` : ""}`,
  );
}

/**
 * `ZeroPadding{1,2,3}D.padding` / `Cropping{1,2,3}D.cropping` → Keras 3's stored form:
 * `[a, b]` for 1D, `[[a, b], …]` per spatial dim otherwise. Accepts an int (symmetric everywhere),
 * one int per dim (symmetric per dim) and Keras 1's `{top_pad, bottom_pad, left_pad, right_pad}`.
 */
export function normalizePadding(value: unknown, rank: number, where: Where): number[] | number[][] {
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const bad = (): never =>
    fail(
      where.label,
      where.path,
      `expected padding for ${rank}D, got ${describe(value)} ${JSON.stringify(value)}`,
    );
  if (isObject(value) && rank === 2) {
    const get = (k: string): number =>
      value[k] === undefined ? 0 : isInt(value[k]) ? (value[k] as number) : bad();
    return [
      [get("top_pad"), get("bottom_pad")],
      [get("left_pad"), get("right_pad")],
    ];
  }
  if (rank === 1) {
    if (isInt(value)) return [value, value];
    if (Array.isArray(value) && value.length === 2 && value.every(isInt)) return [...value];
    return bad();
  }
  if (isInt(value)) return Array.from({ length: rank }, () => [value, value]);
  if (!Array.isArray(value) || value.length !== rank) return bad();
  return value.map((v) => {
    if (isInt(v)) return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every(isInt)) return [...v];
    return bad();
  });
}
