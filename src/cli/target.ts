/**
 * What the CLI analyses: a model loaded from a file, optionally inside a user's wrapper module
 * (`--wrap wrapper.mjs`). A wrapper exports (as `default` or `wrap`) a function
 * `(model, inputs) => Tensor | Record<string, Tensor>` of the loaded model and the named,
 * batch-first inputs, and optionally `inputNames` (and `outputNames`); that function is the
 * target — e.g. the pricing wrapper `(hidden(features) + 1) · price` around a hidden network.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GradlensError } from "../core/errors.js";
import { Sequential, type Model } from "../nn/index.js";
import { Tensor } from "../prims/tensor.js";
import { loadModel } from "../io/index.js";
import type { ModelLike, Target } from "../sensitivity/engine/target.js";
import { CliError, describeThrown, EXIT, modelError, wrapperError } from "./errors.js";
import { fenced, fencedAsync } from "./fence.js";

type ModelLikeInputs = Parameters<ModelLike["call"]>[0];

/** A wrapper function as a module exports it. */
export type WrapperFunction = (
  model: Model,
  inputs: Record<string, Tensor>,
) => Tensor | readonly Tensor[] | Record<string, Tensor>;

/** A loaded `--wrap` module. */
export interface Wrapper {
  file: string;
  fn: WrapperFunction;
  inputNames: string[] | null;
  outputNames: string[] | null;
}

/** The analysis target with what the CLI needs to feed it. */
export interface LoadedTarget {
  model: Model;
  modelFile: string;
  wrapper: Wrapper | null;
  /** The target over inputs `names` (the mapped data's keys; they matter when the wrapper declares none). */
  targetFor(names: readonly string[]): Target;
  /** The inputs the data must provide, or null when only `--input` mappings can tell. */
  inputNames: string[] | null;
  /** Per-sample input shapes the model declares (only without a wrapper). */
  declaredShapes: Record<string, (number | null)[] | null>;
}

/**
 * Loads a Keras (.keras, .h5) or TF.js (model.json) model file; missing or unreadable files and
 * unsupported content are model errors (exit 4).
 *
 * @example
 * const model = await loadModelFile("examples/pricing/hidden.keras", process.cwd());
 */
export async function loadModelFile(file: string, cwd: string): Promise<Model> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw modelError(`model file not found: ${file}`);
  if (statSync(path).isDirectory())
    throw modelError(`model path ${file} is a directory; give the .keras, .h5 or model.json file`);
  try {
    const model = await loadModel(path);
    // Describe the file as the user named it, not by its absolute path.
    if (model.fileInfo) model.fileInfo.path = file;
    return model;
  } catch (e) {
    if (e instanceof GradlensError) throw modelError(`${file}: ${e.message.replace(`${path}: `, "")}`);
    throw modelError(`${file}: cannot load the model: ${(e as Error).message}`);
  }
}

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * Imports a wrapper module and checks its exports (wrapper errors: exit 5).
 *
 * @example
 * const w = await loadWrapper("examples/pricing/wrapper.mjs", process.cwd());
 * w.inputNames; // ["price", "features"]
 */
export async function loadWrapper(
  file: string,
  cwd: string,
  stderr: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<Wrapper> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw wrapperError(`wrapper module not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = await fencedAsync(
      `the wrapper module ${file}`,
      stderr,
      async () => (await import(pathToFileURL(path).href)) as Record<string, unknown>,
    );
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw wrapperError(`cannot import wrapper module ${file}: ${describeThrown(e)}`);
  }
  const fn = typeof mod.wrap === "function" ? mod.wrap : mod.default;
  if (typeof fn !== "function")
    throw wrapperError(
      `${file} exports no wrapper function; export default (model, inputs) => tensor (or a function named 'wrap')`,
    );
  for (const key of ["inputNames", "outputNames"] as const)
    if (mod[key] !== undefined && !stringList(mod[key]))
      throw wrapperError(
        `${file}: export '${key}' must be an array of strings, got ${JSON.stringify(mod[key])}`,
      );
  return {
    file,
    fn: fn as WrapperFunction,
    inputNames: (mod.inputNames as string[] | undefined) ?? null,
    outputNames: (mod.outputNames as string[] | undefined) ?? null,
  };
}

/** Per-sample input shapes a model declares: Sequential's input layer, a functional model's Inputs. */
export function declaredInputShapes(model: Model): Record<string, (number | null)[] | null> {
  const out: Record<string, (number | null)[] | null> = {};
  if (model instanceof Sequential) {
    const shape = model.inputLayer?.batchInputShape;
    const name = model.inputNames[0];
    if (name !== undefined) out[name] = shape ? shape.slice(1) : null;
    return out;
  }
  if (model.isFunctional) model.inputs.forEach((t, i) => (out[model.inputNames[i]] = t.shape.slice(1)));
  return out;
}

/**
 * A gradlens error raised by what the wrapper computed (a shape that does not fit the model, …):
 * an analysis error (exit 1), or a data error when the data's first rows already fail (see
 * `checkDataFits` in common.ts).
 */
export class WrapperComputeError extends CliError {
  constructor(
    readonly file: string,
    readonly error: GradlensError,
  ) {
    super(`the wrapper ${file} failed: ${error.message}`, EXIT.analysis);
  }
}

const isThenable = (v: unknown): boolean => {
  try {
    return (
      (typeof v === "object" || typeof v === "function") &&
      v !== null &&
      typeof (v as { then?: unknown }).then === "function"
    );
  } catch {
    return false;
  }
};

/** How many outputs a wrapper's result holds, and their names when it is an object. */
function outputsOf(result: unknown): { count: number; keys: string[] | null } {
  if (result instanceof Tensor) return { count: 1, keys: null };
  if (Array.isArray(result)) return { count: result.length, keys: null };
  if (typeof result === "object" && result !== null) {
    const keys = Object.keys(result);
    return { count: keys.length, keys };
  }
  return { count: 1, keys: null };
}

/** What is wrong with a wrapper's result, or null when it is tensors. */
function notTensors(result: unknown): string | null {
  const what = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);
  if (result instanceof Tensor) return null;
  const items = Array.isArray(result)
    ? result.map((v, i) => [String(i), v] as const)
    : typeof result === "object" && result !== null
      ? Object.entries(result)
      : null;
  if (items === null) return what(result);
  if (items.length === 0) return Array.isArray(result) ? "an empty array" : "an empty object";
  const wrong = items.find(([, v]) => !(v instanceof Tensor));
  return wrong ? `${what(wrong[1])} as output '${wrong[0]}'` : null;
}

/**
 * Calls the wrapper inside the fence (fence.ts). Its own exceptions are wrapper errors (exit 5);
 * a Promise (an async wrapper) and outputs that do not match its `outputNames` are named errors.
 */
function callWrapper(w: Wrapper, model: Model, stderr: (text: string) => void) {
  return (inputs: Record<string, Tensor>) => {
    let result: ReturnType<WrapperFunction>;
    try {
      result = fenced(`the wrapper ${w.file}`, stderr, () => w.fn(model, inputs));
    } catch (e) {
      if (e instanceof CliError) throw e;
      let gradlens = false;
      try {
        gradlens = e instanceof GradlensError;
      } catch {
        // A Proxy whose prototype cannot be read: the wrapper's own value.
      }
      if (gradlens) throw new WrapperComputeError(w.file, e as GradlensError);
      throw wrapperError(`the wrapper ${w.file} threw ${describeThrown(e)}`);
    }
    if (isThenable(result)) {
      // Keep a rejection of the abandoned Promise from crashing the process later.
      void Promise.resolve(result).catch(() => undefined);
      throw wrapperError(
        `the wrapper ${w.file} returned a Promise (an async function?); wrappers must be synchronous: ` +
          "compute with tensors and return the tensor (no async/await)",
      );
    }
    const bad = notTensors(result);
    if (bad !== null)
      throw wrapperError(
        `the wrapper ${w.file} returned ${bad}; it must return a tensor, an array of tensors or an object of tensors`,
      );
    if (w.outputNames) {
      const got = outputsOf(result);
      const names = w.outputNames;
      if (got.count !== names.length)
        throw wrapperError(
          `${w.file} exports outputNames [${names.join(", ")}] (${names.length}), but the wrapper returned ` +
            `${got.count} output${got.count === 1 ? "" : "s"}${got.keys ? ` (${got.keys.join(", ")})` : ""}`,
        );
      if (got.keys && got.keys.some((k) => !names.includes(k)))
        throw wrapperError(
          `${w.file} exports outputNames [${names.join(", ")}], but the wrapper returned outputs named ` +
            `${got.keys.join(", ")}`,
        );
    }
    return result;
  };
}

/**
 * Loads the model and, with `wrapFile`, the wrapper around it.
 *
 * @example
 * const t = await loadTarget({ modelFile: "hidden.keras", wrapFile: "wrapper.mjs", cwd: process.cwd() });
 * analyze(t.targetFor(["price", "features"]), data);
 */
export async function loadTarget(o: {
  modelFile: string;
  wrapFile?: string;
  cwd: string;
  /** Where user code's standard output goes (default standard error). */
  stderr?: (text: string) => void;
}): Promise<LoadedTarget> {
  const stderr = o.stderr ?? ((t: string) => void process.stderr.write(t));
  const model = await loadModelFile(o.modelFile, o.cwd);
  if (!o.wrapFile)
    return {
      model,
      modelFile: o.modelFile,
      wrapper: null,
      targetFor: () => model as unknown as ModelLike,
      inputNames: model.inputNames.length > 0 ? [...model.inputNames] : null,
      declaredShapes: declaredInputShapes(model),
    };
  const wrapper = await loadWrapper(o.wrapFile, o.cwd, stderr);
  const call = callWrapper(wrapper, model, stderr);
  const targetFor = (names: readonly string[]): ModelLike => ({
    inputNames: wrapper.inputNames ?? [...names],
    ...(wrapper.outputNames ? { outputNames: wrapper.outputNames } : {}),
    call: (inputs: ModelLikeInputs) => call(inputs as Record<string, Tensor>),
  });
  return {
    model,
    modelFile: o.modelFile,
    wrapper,
    targetFor,
    inputNames: wrapper.inputNames,
    declaredShapes: {},
  };
}
