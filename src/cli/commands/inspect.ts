/**
 * `gradlens inspect MODEL`: where a model file came from, its inputs and outputs with names and
 * shapes, and the Keras summary table; with --wrap, what the wrapper declares.
 */
import { inspectModel } from "../../io/index.js";
import { EXIT } from "../errors.js";
import { HELP_OPTION, str, TIMEOUT_OPTION, type CommandDef } from "../options.js";
import { loadModelFile, loadWrapper } from "../target.js";

export const inspectCommand: CommandDef = {
  name: "inspect",
  summary: "describe a model file: format, inputs, outputs, layers, parameters",
  usage: "gradlens inspect MODEL [--wrap FILE.mjs]",
  description: [
    "Loads MODEL (Keras 3 .keras, legacy .h5 or TF.js model.json; nothing in the file is executed) and prints its inputs and outputs with their names and shapes, the layer table and the parameter counts. Use the input names with --input NAME=COLUMNS in the other commands.",
  ],
  options: [
    {
      name: "wrap",
      short: "w",
      type: "string",
      arg: "FILE.mjs",
      help: "also check and describe a wrapper module",
    },
    TIMEOUT_OPTION,
    HELP_OPTION,
  ],
  examples: [
    "gradlens inspect model.keras",
    "gradlens inspect examples/pricing/hidden.keras --wrap examples/pricing/wrapper.mjs",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const model = await loadModelFile(args.positionals[0], io.cwd);
    io.stdout(`${inspectModel(model).trimEnd()}\n`);
    const wrapFile = str(args, "wrap");
    if (wrapFile) {
      const w = await loadWrapper(wrapFile, io.cwd, io.stderr);
      io.stdout(
        `\nWrapper ${w.file}: target = wrap(model, inputs)\n` +
          `  inputs:  ${w.inputNames ? w.inputNames.join(", ") : "(not declared: map them with --input NAME=COLUMNS)"}\n` +
          `  outputs: ${w.outputNames ? w.outputNames.join(", ") : "(named by what the function returns)"}\n`,
      );
    }
    return EXIT.ok;
  },
};
