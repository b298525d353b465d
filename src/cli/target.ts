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
import type { Tensor } from "../prims/tensor.js";
import { loadModel } from "../io/index.js";
import type { ModelLike, Target } from "../sensitivity/target.js";
import { CliError, EXIT, modelError, wrapperError } from "./errors.js";

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
export async function loadWrapper(file: string, cwd: string): Promise<Wrapper> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw wrapperError(`wrapper module not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw wrapperError(`cannot import wrapper module ${file}: ${(e as Error).message}`);
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

/** Calls the wrapper; an exception that is not a gradlens error is the wrapper's own bug (exit 5). */
function callWrapper(w: Wrapper, model: Model) {
  return (inputs: Record<string, Tensor>) => {
    try {
      return w.fn(model, inputs);
    } catch (e) {
      if (e instanceof CliError) throw e;
      // A gradlens error raised by what the wrapper computed (a shape that does not fit the model, …).
      if (e instanceof GradlensError)
        throw new CliError(`the wrapper ${w.file} failed: ${e.message}`, EXIT.analysis);
      throw new CliError(
        `the wrapper ${w.file} threw ${(e as Error).name ?? "an error"}: ${(e as Error).message ?? String(e)}`,
        EXIT.wrapper,
      );
    }
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
}): Promise<LoadedTarget> {
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
  const wrapper = await loadWrapper(o.wrapFile, o.cwd);
  const call = callWrapper(wrapper, model);
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
