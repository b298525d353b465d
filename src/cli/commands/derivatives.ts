/**
 * `gradlens derivatives MODEL --data FILE`: per-row values and derivatives ∂y/∂x (and with
 * --second-order the Hessians) as CSV/NPY columns, or as JSON in the sensitivity schema's
 * per-sample layout.
 */
import { perSampleDerivatives } from "../../sensitivity/engine/derivatives.js";
import type { PerSampleDerivatives } from "../../sensitivity/result/schema.js";
import { encodeFrame, type Frame } from "../../report/writers.js";
import { note, prepareTarget, writeOutput } from "../common.js";
import { EXIT } from "../errors.js";
import { outputFormat } from "../outputs.js";
import { parseFinance } from "./analyze.js";
import { flag, HELP_OPTION, QUIET_OPTION, str, TARGET_OPTIONS, type CommandDef } from "../options.js";
import { withProgress } from "../progress.js";
import { OUT_OPTION } from "./predict.js";

/**
 * Per-sample derivatives as named columns: each output component `y`, then `d y/d x` for every
 * feature x, then (with Hessians) `d2 y/d xi d xj` for i ≤ j.
 *
 * @example
 * derivativesFrame(perSampleDerivatives(model, data)).names; // ["value", "d value/d price", …]
 */
export function derivativesFrame(d: PerSampleDerivatives): Frame {
  const ps = d.perSample;
  const n = ps.rows.length;
  const comps = d.outputs.components.map((c) => c.name);
  const feats = d.inputs.features.map((f) => f.name);
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const col = (name: string, get: (r: number) => number | null) => {
    names.push(name);
    columns.push(Float64Array.from({ length: n }, (_, r) => get(r) ?? NaN));
  };
  comps.forEach((c, k) => col(c, (r) => ps.values[r][k]));
  comps.forEach((c, k) => feats.forEach((f, j) => col(`d ${c}/d ${f}`, (r) => ps.gradients[r][k][j])));
  if (ps.hessians)
    comps.forEach((c, k) =>
      feats.forEach((fi, i) =>
        feats.forEach((fj, j) => {
          if (j >= i) col(`d2 ${c}/d ${fi} d ${fj}`, (r) => ps.hessians![r][k][i][j]);
        }),
      ),
    );
  return { names, columns };
}

export const derivativesCommand: CommandDef = {
  name: "derivatives",
  summary: "per-row outputs and exact derivatives ∂y/∂x (and Hessians) as CSV, JSON or NPY",
  usage:
    "gradlens derivatives MODEL --data FILE [--input NAME=SPEC …] [--wrap FILE.mjs] [--out FILE] [--second-order]",
  description: [
    "Writes one row per data row: the outputs, then 'd y/d x' for every feature (and 'd2 y/d xi d xj' with --second-order). With a .json --out the result is the per-sample section of the sensitivity schema (docs/sensitivity-schema.md), including elasticities and, with --finance, delta/gamma.",
    "Everything is kept in memory; for summaries over large data use 'gradlens analyze', which streams.",
  ],
  options: [
    ...TARGET_OPTIONS,
    OUT_OPTION,
    { name: "second-order", type: "boolean", help: "also the per-row Hessians" },
    {
      name: "finance",
      type: "string",
      arg: "price=NAME",
      help: "price-like inputs (delta/gamma in the JSON output)",
    },
    QUIET_OPTION,
    HELP_OPTION,
  ],
  examples: [
    "gradlens derivatives model.keras --data data.csv --out grads.csv",
    "gradlens derivatives examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \\",
    "    --wrap examples/pricing/wrapper.mjs --second-order --out derivs.npy",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const out = str(args, "out") ?? "-";
    const format = outputFormat(out, "--out", "derivatives");
    const p = await prepareTarget(args, io, "derivatives", [
      { option: "--out", file: out, binary: format === "npy" },
    ]);
    const finance = parseFinance(
      str(args, "finance"),
      p.shockable.map((i) => i.name),
      "derivatives",
      p.common.wrt,
    );
    const d: PerSampleDerivatives = withProgress(io, p.quiet, (onProgress) =>
      perSampleDerivatives(p.target, p.mapped.data, {
        ...p.common,
        ...(flag(args, "second-order") ? { secondOrder: true } : {}),
        ...(finance ? { finance } : {}),
        onProgress,
      }),
    );
    const body = format === "json" ? JSON.stringify(d) + "\n" : encodeFrame(derivativesFrame(d), format);
    await writeOutput(io, out, body);
    if (out !== "-") note(io, p.quiet, `wrote ${out}`);
    return EXIT.ok;
  },
};
