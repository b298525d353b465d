import { ValueError } from "../core/errors.js";
import type { Tensor } from "../prims/tensor.js";
import type { CallArgs, Layer, LayerInputs } from "./layer.js";
import { mapTree } from "./tree.js";
import { InputLayer } from "./layers/core/inputLayer.js";
import type { Node, SymbolicTensor } from "./layer.js";

/** How a model's inputs or outputs were given: one tensor, a list, or named. */
export type Structure<T> = T | T[] | { [name: string]: T };

/** A functional model's graph: its nodes in an order where every input is computed first. */
export interface Graph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  inputStructure: Structure<SymbolicTensor>;
  outputStructure: Structure<SymbolicTensor>;
  nodes: Node[];
  layers: Layer[];
}

const flat = (s: Structure<SymbolicTensor>): SymbolicTensor[] =>
  Array.isArray(s)
    ? s
    : s !== null && typeof s === "object" && !("node" in s)
      ? Object.values(s)
      : [s as SymbolicTensor];

/**
 * Collects the nodes between `inputs` and `outputs` in dependency order, and checks that every
 * output can be computed from the given inputs (Keras's "graph disconnected" error otherwise).
 */
export function buildGraph(
  modelName: string,
  inputs: Structure<SymbolicTensor>,
  outputs: Structure<SymbolicTensor>,
): Graph {
  const ins = flat(inputs);
  const outs = flat(outputs);
  const inputSet = new Set(ins);
  for (const t of ins)
    if (!(t.node.layer instanceof InputLayer))
      throw new ValueError(
        `Model '${modelName}': inputs must come from Input(); '${t.name}' is produced by layer '${t.node.layer.name}'`,
      );
  const order: Node[] = [];
  const state = new Map<Node, "visiting" | "done">();
  const visit = (t: SymbolicTensor, path: string[]): void => {
    const node = t.node;
    if (state.get(node) === "done") return;
    if (node.layer instanceof InputLayer && !inputSet.has(t))
      throw new ValueError(
        `Model '${modelName}': graph disconnected: cannot obtain a value for input '${t.name}' ` +
          `(needed by ${path.length ? `layer '${path[path.length - 1]}'` : "an output"}); pass it in \`inputs\``,
      );
    state.set(node, "visiting");
    for (const i of node.flatInputs) visit(i, [...path, node.layer.name]);
    state.set(node, "done");
    order.push(node);
  };
  for (const o of outs) visit(o, []);
  for (const t of ins)
    if (!state.has(t.node)) {
      // An input nobody uses is allowed (Keras warns); keep it so calls line up.
      order.unshift(t.node);
    }
  const layers: Layer[] = [];
  for (const n of order) if (!layers.includes(n.layer)) layers.push(n.layer);
  return {
    inputs: ins,
    outputs: outs,
    inputStructure: inputs,
    outputStructure: outputs,
    nodes: order,
    layers,
  };
}

/** Evaluates the graph on concrete (or traced) inputs, propagating Keras masks alongside. */
export function runGraph(graph: Graph, inputs: Tensor[], kwargs: CallArgs): Tensor[] {
  const values = new Map<SymbolicTensor, Tensor>();
  const masks = new Map<SymbolicTensor, Tensor | null>();
  graph.inputs.forEach((s, i) => values.set(s, inputs[i]));
  for (const node of graph.nodes) {
    if (node.inputs === null) continue;
    const args = mapTree<SymbolicTensor, Tensor>(node.inputs, (s) => {
      const v = values.get(s);
      if (v === undefined)
        throw new ValueError(`internal: no value for '${s.name}' when calling '${node.layer.name}'`);
      return v;
    }) as LayerInputs;
    const inMasks = node.flatInputs.map((s) => masks.get(s) ?? null);
    const mask = inMasks.every((m) => m === null) ? undefined : inMasks.length === 1 ? inMasks[0] : inMasks;
    const callArgs: CallArgs = { ...node.kwargs, training: kwargs.training ?? false };
    if (mask !== undefined) callArgs.mask = mask;
    const out = node.layer.call(args, callArgs);
    const outList = (node.outputIsList ? out : [out]) as Tensor[];
    node.outputs.forEach((s, i) => values.set(s, outList[i]));
    const outMask = node.layer.computeMask(args, mask ?? null);
    const outMasks = Array.isArray(outMask) ? outMask : node.outputs.map(() => outMask ?? null);
    node.outputs.forEach((s, i) => masks.set(s, outMasks[i] ?? null));
  }
  return graph.outputs.map((s) => values.get(s)!);
}
