import type { Layer, ShapeTree } from "./layer.js";
import type { Node } from "./layer.js";
import type { SymbolicShape } from "./symbolic.js";
import type { Weight } from "./weight.js";

/**
 * What the summary table reads from a model (a `Model` or `Sequential` is one). Declared here, not
 * imported, so that model.ts can use this file without a circle.
 *
 * @example formatSummary(model); // any Model satisfies SummarySource
 */
export interface SummarySource {
  readonly name: string;
  /** The functional graph's calls in order, or null for a Sequential or subclassed model. */
  readonly graphView: { readonly nodes: readonly Node[] } | null;
  readonly layers: Layer[];
  readonly weights: Weight[];
  readonly trainableWeights: Weight[];
  /** A Sequential's output shape after each layer, once built. */
  readonly outputShapes?: Map<Layer, ShapeTree>;
}

const fmtShape = (s: SymbolicShape) =>
  `(${s.map((d) => (d === null ? "None" : d)).join(", ")}${s.length === 1 ? "," : ""})`;

function fmtTree(t: ShapeTree | null | undefined): string {
  if (t === null || t === undefined) return "?";
  if (Array.isArray(t) && (t.length === 0 || !Array.isArray(t[0]))) return fmtShape(t as SymbolicShape);
  if (Array.isArray(t)) return (t as SymbolicShape[]).map(fmtShape).join(", ");
  return Object.entries(t)
    .map(([k, v]) => `${k}: ${fmtShape(v)}`)
    .join(", ");
}

function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

interface Row {
  layer: string;
  shape: string;
  params: string;
  connected?: string;
}

function rowsOf(model: SummarySource): Row[] {
  const graph = model.graphView;
  if (graph !== null) {
    return graph.nodes.map((node) => ({
      layer: `${node.layer.name} (${node.layer.className})`,
      shape: node.outputs.map((o) => fmtShape(o.shape)).join(", "),
      params: node.layer.countParams().toLocaleString("en-US"),
      connected:
        node.flatInputs.map((t) => `${t.node.layer.name}[${t.history[1]}][${t.history[2]}]`).join(", ") ||
        "-",
    }));
  }
  return model.layers.map((l) => ({
    layer: `${l.name} (${l.className})`,
    shape: fmtTree(model.outputShapes?.get(l)),
    params: l.built ? l.countParams().toLocaleString("en-US") : "0 (unbuilt)",
  }));
}

/** Keras 3's model summary table, in the same box-drawing style. */
export function formatSummary(model: SummarySource): string {
  const rows = rowsOf(model);
  const functional = model.graphView !== null;
  const headers = ["Layer (type)", "Output Shape", "Param #", ...(functional ? ["Connected to"] : [])];
  const cells = rows.map((r) => [r.layer, r.shape, r.params, ...(functional ? [r.connected ?? ""] : [])]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)) + 2);
  const pad = (text: string, i: number) =>
    i === 2 ? ` ${text.padStart(widths[i] - 2)} ` : ` ${text.padEnd(widths[i] - 2)} `;
  const line = (l: string, m: string, r: string, ch: string) =>
    l + widths.map((w) => ch.repeat(w)).join(m) + r;
  const out: string[] = [`Model: "${model.name}"`];
  out.push(line("┏", "┳", "┓", "━"));
  out.push("┃" + headers.map(pad).join("┃") + "┃");
  out.push(line("┡", "╇", "┩", "━"));
  cells.forEach((c, k) => {
    out.push("│" + c.map(pad).join("│") + "│");
    if (k < cells.length - 1) out.push(line("├", "┼", "┤", "─"));
  });
  out.push(line("└", "┴", "┘", "─"));
  const all = model.weights;
  const trainable = new Set(model.trainableWeights);
  const count = (ws: typeof all) => ws.reduce((n, w) => n + w.value.size, 0);
  const size = (ws: typeof all) =>
    ws.reduce((n, w) => n + w.value.size * (w.value.dtype === "float64" ? 8 : 4), 0);
  const tw = all.filter((w) => trainable.has(w));
  const ntw = all.filter((w) => !trainable.has(w));
  out.push(` Total params: ${count(all).toLocaleString("en-US")} (${bytes(size(all))})`);
  out.push(` Trainable params: ${count(tw).toLocaleString("en-US")} (${bytes(size(tw))})`);
  out.push(` Non-trainable params: ${count(ntw).toLocaleString("en-US")} (${bytes(size(ntw))})`);
  return out.join("\n");
}
