/**
 * Which Keras wrote a config: from the version string when there is one, from tell-tale structure
 * when there is not (architecture-only JSON without `keras_version`).
 */
import type { KerasMajor, KerasSource } from "./types.js";
import { isObject } from "./json.js";

/** A Python Keras version such as `2.2.4-tf` → `{ major: 2, minor: 2, patch: 4, tf: true }`. */
export interface KerasVersion {
  major: number;
  minor: number;
  patch: number;
  /** The `-tf` suffix of Keras bundled with TensorFlow 1.x/2.0–2.3. */
  tf: boolean;
}

/** Everything the normaliser needs to know about the writer of a file. */
export interface Dialect {
  source: KerasSource;
  kerasMajor: KerasMajor;
  kerasVersion?: string;
  backend?: string;
  /** Parsed Python Keras version (for TF.js: of the Keras that wrote the converted file), if known. */
  version?: KerasVersion;
}

/**
 * Parses `1.2.2`, `2.1.6-tf`, `2.2.4-tf`, `3.9.2`; returns `undefined` for anything else
 * (e.g. `tfjs-layers 1.2.7`).
 *
 * @example parseKerasVersion("2.2.4-tf"); // { major: 2, minor: 2, patch: 4, tf: true }
 */
export function parseKerasVersion(text: string | undefined): KerasVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?[^\s]*$/.exec(text?.trim() ?? "");
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], patch: m[3] === undefined ? 0 : +m[3], tf: /-tf$/.test(text!.trim()) };
}

/** `version ≥ major.minor`. */
export function atLeast(version: KerasVersion | undefined, major: number, minor: number): boolean {
  if (!version) return false;
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * Classifies a file. `tfjs` is set by the caller when the config came out of a TF.js `model.json`;
 * a `tfjs-layers …` version string or the `tensor_flow.js` backend also mark TF.js.
 *
 * @example classifyDialect({ kerasVersion: "2.2.4-tf", tfjs: false, raw }).source; // "tf.keras"
 */
export function classifyDialect(args: {
  kerasVersion?: string;
  backend?: string;
  tfjs: boolean;
  /** The Python Keras version inside a converter-wrapped TF.js topology. */
  pythonKerasVersion?: string;
  raw: unknown;
}): Dialect {
  const { kerasVersion, backend } = args;
  const tfjs = args.tfjs || /^tfjs/.test(kerasVersion ?? "") || backend === "tensor_flow.js";
  if (tfjs) {
    // TF.js follows Keras 2 math (tfjs-layers backend/tfjs_backend.ts: hardSigmoid = clip(0.2x+0.5)),
    // unless a converter-wrapped file says which Python Keras wrote it.
    const version = parseKerasVersion(args.pythonKerasVersion);
    const major = version && version.major >= 1 && version.major <= 3 ? (version.major as KerasMajor) : 2;
    return { source: "tfjs", kerasMajor: major, kerasVersion, backend, version };
  }
  const version = parseKerasVersion(kerasVersion);
  if (version?.major === 1) return { source: "keras1", kerasMajor: 1, kerasVersion, backend, version };
  if (version?.major === 3) return { source: "keras3", kerasMajor: 3, kerasVersion, backend, version };
  if (version?.major === 2) {
    // Keras 2.4+ is tf.keras (standalone Keras 2.4 re-exported tf.keras); `-tf` marks TF-bundled Keras.
    const tfKeras = version.tf || atLeast(version, 2, 4);
    return { source: tfKeras ? "tf.keras" : "keras2", kerasMajor: 2, kerasVersion, backend, version };
  }
  const inferred = inferFromStructure(args.raw);
  return {
    source: inferred,
    kerasMajor: inferred === "keras1" ? 1 : inferred === "keras3" ? 3 : 2,
    kerasVersion,
    backend,
  };
}

/** Argument names that only Keras 1 wrote (Keras 2 converted them: keras/legacy/interfaces.py). */
const KERAS1_KEYS = new Set([
  "nb_filter",
  "nb_row",
  "nb_col",
  "border_mode",
  "dim_ordering",
  "subsample",
  "subsample_length",
  "filter_length",
  "inner_init",
  "inner_activation",
  "W_regularizer",
  "b_regularizer",
  "W_constraint",
  "b_constraint",
  "consume_less",
  "forget_bias_init",
  "pool_length",
  "input_dtype",
]);
const KERAS1_CLASSES =
  /^(Convolution[123]D|AtrousConvolution[12]D|Deconvolution2D|SeparableConvolution2D|TimeDistributedDense)$/;

/** Looks for Keras 3 serialisation markers, then for Keras 1 argument names; defaults to Keras 2. */
function inferFromStructure(raw: unknown): KerasSource {
  let keras1 = false;
  let keras3 = false;
  const stack: unknown[] = [raw];
  while (stack.length > 0 && !keras3) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) {
      if ("registered_name" in v || v.class_name === "__keras_tensor__") keras3 = true;
      if (typeof v.class_name === "string" && KERAS1_CLASSES.test(v.class_name)) keras1 = true;
      for (const [k, child] of Object.entries(v)) {
        if (KERAS1_KEYS.has(k)) keras1 = true;
        stack.push(child);
      }
    }
  }
  return keras3 ? "keras3" : keras1 ? "keras1" : "keras2";
}
