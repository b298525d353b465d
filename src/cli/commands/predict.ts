/**
 * `gradlens predict MODEL --data FILE`: the target's outputs for every row, batch by batch, as
 * CSV (stdout by default), JSON or NPY.
 */
import { predict } from "../../sensitivity/engine/predict.js";
import { encodeFrame, type Frame } from "../../report/writers.js";
import { note, prepareTarget, writeOutput } from "../common.js";
import { EXIT, toCliError } from "../errors.js";
import { outputFormat } from "../outputs.js";
import { HELP_OPTION, QUIET_OPTION, str, TARGET_OPTIONS, type CommandDef } from "../options.js";
import { createProgressBar } from "../progress.js";

export const OUT_OPTION = {
  name: "out",
  short: "o",
  type: "string" as const,
  arg: "FILE",
  help: "output file: .csv, .json (named arrays) or .npy (float64 [rows, columns]); default CSV on stdout",
};

export const predictCommand: CommandDef = {
  name: "predict",
  summary: "the model's (or wrapper's) outputs for every data row",
  usage: "gradlens predict MODEL --data FILE [--input NAME=SPEC …] [--wrap FILE.mjs] [--out FILE]",
  description: [
    "Evaluates the target on every row in batches and writes one column per output component (named like the analysis names them: 'output', 'value', 'probs[2]').",
  ],
  options: [...TARGET_OPTIONS, OUT_OPTION, QUIET_OPTION, HELP_OPTION],
  examples: [
    "gradlens predict model.keras --data data.csv > predictions.csv",
    "gradlens predict examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \\",
    "    --wrap examples/pricing/wrapper.mjs --out values.npy",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const out = str(args, "out") ?? "-";
    const format = outputFormat(out, "--out", "predict");
    const p = await prepareTarget(args, io, "predict", [
      { option: "--out", file: out, binary: format === "npy" },
    ]);
    const bar = createProgressBar(io, { quiet: p.quiet });
    let frame: Frame;
    try {
      // The library's predict: same engine (data forms, row-independence check) as analyze.
      const r = predict(p.target, p.mapped.data, { ...p.common, onProgress: (pr) => bar.update(pr) });
      const n = p.mapped.n;
      const columns = r.outputs.items.flatMap((item) => {
        const data = r.values[item.name].data();
        return Array.from({ length: item.size }, (_, c) =>
          Float64Array.from({ length: n }, (_, i) => data[i * item.size + c]),
        );
      });
      frame = { names: r.outputs.components.map((c) => c.name), columns };
    } catch (e) {
      throw toCliError(e);
    } finally {
      bar.finish();
    }
    await writeOutput(io, out, encodeFrame(frame, format));
    if (out !== "-") note(io, p.quiet, `wrote ${out} (${p.mapped.n} rows × ${frame.names.length} columns)`);
    return EXIT.ok;
  },
};
