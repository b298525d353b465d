/**
 * A text description of a (loaded) model for `gradlens inspect MODEL`: where it came from, its
 * inputs and outputs with names and shapes, Keras's summary table and the parameter count.
 */
import type { ShapeTree } from "../nn/layer.js";
import type { Model } from "../nn/model.js";
import { Sequential } from "../nn/sequential.js";
import type { SymbolicShape } from "../nn/symbolic.js";
import type { ModelFileFormat } from "./load.js";

const fmtShape = (s: SymbolicShape) =>
  `(${s.map((d) => (d === null ? "None" : d)).join(", ")}${s.length === 1 ? "," : ""})`;

const FORMAT_NAMES: Record<ModelFileFormat, string> = {
  keras: "Keras 3 .keras file",
  h5: "legacy Keras HDF5 file",
  "json+h5": "architecture JSON with a weights .h5",
  json: "architecture JSON without weights",
  tfjs: "TF.js model.json",
  "tfjs-live": "live TF.js model",
};

const count = (n: number) => n.toLocaleString("en-US");

function ports(model: Model): { inputs: [string, string][]; outputs: [string, string][] } {
  if (model instanceof Sequential) {
    const head = model.inputLayer;
    const last = model.layers.at(-1);
    const outShape = last ? model.outputShapes.get(last) : undefined;
    const shapeText = (s: ShapeTree | undefined) =>
      s === undefined
        ? "unknown until the first call"
        : Array.isArray((s as unknown[])[0])
          ? (s as SymbolicShape[]).map(fmtShape).join(", ")
          : fmtShape(s as SymbolicShape);
    return {
      inputs: head
        ? [[head.name, fmtShape(head.batchInputShape!)]]
        : [["(input)", "unknown until the first call"]],
      outputs: last ? [[last.name, shapeText(outShape)]] : [],
    };
  }
  const names = (list: string[], i: number) => list[i] ?? `#${i}`;
  return {
    inputs: model.inputs.map((t, i) => [names(model.inputNames, i), fmtShape(t.shape)]),
    outputs: model.outputs.map((t, i) => [names(model.outputNames, i), fmtShape(t.shape)]),
  };
}

function table(rows: [string, string][]): string[] {
  const w = Math.max(0, ...rows.map(([n]) => n.length));
  return rows.map(([n, s]) => `  ${n.padEnd(w)}  ${s}`);
}

/**
 * Describes a model: format and Keras version (for loaded models), inputs and outputs with their
 * names and shapes, the summary table (`model.summary({ print: false })`) and the parameter counts.
 *
 * @example
 * const model = await loadModel("model.keras");
 * console.log(inspectModel(model));
 * // Sequential model "sequential" — Keras 3 .keras file, Keras 3.9.2, model.keras
 * // Inputs:
 * //   input_layer  (None, 2)
 * // …
 */
export function inspectModel(model: Model): string {
  const fi = model.fileInfo;
  const kind =
    model instanceof Sequential ? "Sequential" : model.isFunctional ? "Functional" : model.className;
  const origin = fi
    ? [
        ` — ${FORMAT_NAMES[fi.format]}`,
        fi.kerasVersion?.startsWith("tfjs")
          ? fi.kerasVersion
          : `Keras ${fi.kerasVersion ?? `${fi.kerasMajor}.x`}`,
        ...(fi.backend ? [`backend ${fi.backend}`] : []),
        ...(fi.activationFlavor === "keras2" ? ["Keras 2 activation definitions"] : []),
        ...(fi.path ? [fi.path] : []),
      ].join(", ")
    : "";
  const { inputs, outputs } = ports(model);
  const all = model.weights;
  const trainable = new Set(model.trainableWeights);
  const n = (ws: typeof all) => ws.reduce((s, w) => s + w.value.size, 0);
  return [
    `${kind} model "${model.name}"${origin}`,
    "Inputs:",
    ...table(inputs),
    "Outputs:",
    ...table(outputs),
    "",
    model.summary({ print: false }),
    "",
    `Parameters: ${count(n(all))} (trainable ${count(n(all.filter((w) => trainable.has(w))))}, ` +
      `non-trainable ${count(n(all.filter((w) => !trainable.has(w))))})`,
  ].join("\n");
}
