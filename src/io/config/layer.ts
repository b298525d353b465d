/**
 * One layer config in any dialect → a `CanonicalLayer`: Keras 1 upgrade, Keras 3 renames, value
 * conventions, nested wrapper/cell/model configs, version defaults, type checks, inbound nodes.
 */
import { isCustomLayer, type BatchShape, type CanonicalLayer } from "./types.js";
import type { Dialect } from "./dialect.js";
import { applyVersionDefaults } from "./defaults.js";
import { MAX_MODEL_NESTING } from "./guard.js";
import {
  at,
  describe,
  expectObject,
  expectString,
  fail,
  isObject,
  optionalString,
  type JsonObject,
  type Where,
} from "./json.js";
import { convertMerge, upgradeKeras1Layer } from "./keras1.js";
import { normalizeModelBody } from "./model.js";
import { modernizeArgs, normalizeValues } from "./modernize.js";
import { parseInboundNodes } from "./nodes.js";
import { validateLayerConfig } from "./validate.js";
import { normalizeDtype } from "./values.js";

/** What every normalisation step needs to know. `depth` counts models/wrappers nested so far. */
export interface Ctx {
  label: string;
  dialect: Dialect;
  depth: number;
}

/** An input shape a file attached to a layer (`batch_input_shape`), lifted out of its config. */
export interface DeclaredInput {
  batchShape: BatchShape;
  dtype: string;
}

export interface LayerResult {
  layer: CanonicalLayer;
  declaredInput?: DeclaredInput;
}

const MODEL_CLASSES = new Set(["Sequential", "Model", "Functional"]);

/** Sequential, or a functional model under its Keras 2 (`Model`) or Keras 2.4+/3 (`Functional`) name. */
export function isModelClass(className: unknown): className is string {
  return typeof className === "string" && MODEL_CLASSES.has(className);
}

const within = (where: Where, key: string): Where => ({ label: where.label, path: at(where.path, key) });

/**
 * Normalises one layer entry (`{class_name, config, name?, inbound_nodes?, module?, …}`).
 * `inGraph` is true for functional-model layers, whose inbound nodes are read.
 */
export function normalizeLayer(raw: unknown, ctx: Ctx, path: string, inGraph: boolean): LayerResult {
  const where: Where = { label: ctx.label, path };
  if (ctx.depth > MAX_MODEL_NESTING)
    fail(ctx.label, path, `models and wrappers nested deeper than ${MAX_MODEL_NESTING} levels`);
  const obj = expectObject(raw, where, "a layer {class_name, config}");
  const rawClass = expectString(obj.class_name, within(where, "class_name"), "a layer class name");
  const module = optionalString(obj.module, within(where, "module"));
  const registeredName = optionalString(obj.registered_name, within(where, "registered_name"));
  const inboundNodes = inGraph ? parseInboundNodes(obj.inbound_nodes, within(where, "inbound_nodes")) : [];
  const extras: Partial<CanonicalLayer> = {};
  if (module !== undefined) extras.module = module;
  if (registeredName !== undefined) extras.registeredName = registeredName;
  if (isObject(obj.build_config)) extras.buildConfig = obj.build_config;

  const configWhere = within(where, "config");
  if (isModelClass(rawClass) && (registeredName === undefined || registeredName === rawClass))
    return nestedModelLayer(obj, rawClass, { ...ctx, depth: ctx.depth + 1 }, where, {
      inboundNodes,
      ...extras,
    });

  const source = expectObject(obj.config, configWhere, `the config object of layer class '${rawClass}'`);
  const name = expectString(
    obj.name ?? source.name,
    within(where, obj.name === undefined ? "config.name" : "name"),
    "a layer name",
  );
  let className = rawClass;
  let config: JsonObject = { ...source };
  if (ctx.dialect.kerasMajor === 1)
    ({ className, config } = upgradeKeras1Layer(className, config, configWhere));
  if (className === "Merge") ({ className, config } = convertMerge(config, configWhere));
  config.name = name;
  const declaredInput = liftInputShape(className, config, configWhere);
  // Custom classes (Keras 3 registered or from a non-Keras module) keep their own argument meanings.
  const custom = isCustomLayer({ module, registeredName });
  if (!custom) modernizeArgs(className, config);
  normalizeValues(className, config, configWhere, custom);
  const innerInput = normalizeSublayers(className, config, ctx, configWhere);
  applyVersionDefaults(className, config, ctx.dialect);
  if (!custom) validateLayerConfig(className, config, configWhere);
  return {
    layer: { className, name, config, inboundNodes, ...extras },
    declaredInput: declaredInput ?? innerInput,
  };
}

/** A Sequential/functional model used as a layer: its body becomes `nested`; its single input shape is declared. */
function nestedModelLayer(
  obj: JsonObject,
  rawClass: string,
  ctx: Ctx,
  where: Where,
  rest: Pick<CanonicalLayer, "inboundNodes" | "module" | "registeredName" | "buildConfig">,
): LayerResult {
  const nested = normalizeModelBody(rawClass, obj.config, ctx, at(where.path, "config"));
  const name =
    obj.name === undefined ? nested.name : expectString(obj.name, within(where, "name"), "a layer name");
  const config: JsonObject = { name };
  if (isObject(obj.config) && typeof obj.config.trainable === "boolean")
    config.trainable = obj.config.trainable;
  const className = nested.kind === "sequential" ? "Sequential" : "Functional";
  const layer: CanonicalLayer = { className, name, config, ...rest, nested };
  const input =
    nested.inputs.length === 1 ? nested.layers.find((l) => l.name === nested.inputs[0].layer) : undefined;
  const shape = input?.config.batch_shape;
  if (!Array.isArray(shape)) return { layer };
  return { layer, declaredInput: { batchShape: shape as BatchShape, dtype: String(input!.config.dtype) } };
}

function checkBatchShape(shape: unknown, where: Where): BatchShape {
  const ok =
    Array.isArray(shape) &&
    shape.length > 0 &&
    shape.every((d) => d === null || (typeof d === "number" && Number.isInteger(d) && d >= 0));
  if (!ok)
    fail(where.label, where.path, `expected a batch shape like [null, 28, 28, 1], got ${describe(shape)}`);
  return [...(shape as BatchShape)];
}

/**
 * `batch_input_shape` (Keras 1/2, TF.js) becomes `batch_shape` on an `InputLayer` (Keras 3 name,
 * keras/src/layers/core/input_layer.py); on any other layer it is removed from the config and
 * returned, so that a Sequential model can turn it into its `InputLayer` (Keras 2 Sequential.add
 * does the same). On a layer inside a functional graph it only repeated the inbound tensor's shape.
 */
function liftInputShape(className: string, config: JsonObject, where: Where): DeclaredInput | undefined {
  const raw = config.batch_input_shape;
  delete config.batch_input_shape;
  if (className === "InputLayer") {
    const shape = config.batch_shape ?? raw;
    if (shape === undefined)
      fail(where.label, where.path, "InputLayer has no batch_shape / batch_input_shape");
    config.batch_shape = checkBatchShape(
      shape,
      within(where, config.batch_shape === undefined ? "batch_input_shape" : "batch_shape"),
    );
    config.dtype = normalizeDtype(config.dtype, within(where, "dtype"));
    return { batchShape: config.batch_shape as BatchShape, dtype: config.dtype as string };
  }
  if (raw === undefined || raw === null) return undefined;
  const batchShape = checkBatchShape(raw, within(where, "batch_input_shape"));
  return { batchShape, dtype: normalizeDtype(config.dtype, within(where, "dtype")) };
}

/**
 * Wrapped layers (`TimeDistributed`/`Bidirectional` `layer`, `backward_layer`), RNN `cell`(s) and
 * `StackedRNNCells.cells` become nested `CanonicalLayer`s. Returns the wrapped layer's declared
 * input, which Keras 2 used for a Sequential model starting with a wrapper.
 */
function normalizeSublayers(
  className: string,
  config: JsonObject,
  ctx: Ctx,
  where: Where,
): DeclaredInput | undefined {
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
  if ((className === "Bidirectional" || className === "TimeDistributed") && !isObject(config.layer))
    fail(
      where.label,
      at(where.path, "layer"),
      `expected the wrapped layer {class_name, config}, got ${describe(config.layer)}`,
    );
  let declared: DeclaredInput | undefined;
  for (const key of ["layer", "backward_layer"]) {
    if (!isObject(config[key])) continue;
    const r = normalizeLayer(config[key], inner, at(where.path, key), false);
    config[key] = r.layer;
    if (key === "layer") declared = r.declaredInput;
  }
  for (const key of ["cell", "cells"]) {
    const value = config[key];
    if (Array.isArray(value))
      config[key] = value.map((c, i) => normalizeLayer(c, inner, at(at(where.path, key), i), false).layer);
    else if (isObject(value)) config[key] = normalizeLayer(value, inner, at(where.path, key), false).layer;
  }
  return declared;
}
