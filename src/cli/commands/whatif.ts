/**
 * `gradlens whatif MODEL --data FILE --shock SPEC …`: each scenario's exact output change
 * against its first- and second-order Taylor predictions.
 */
import { renderTable } from "../../report/terminal.js";
import { whatifTable } from "../../report/tables.js";
import type { WhatIfSection } from "../../sensitivity/result/schema.js";
import { taylorWhatIf } from "../../sensitivity/methods/whatif.js";
import { prepareTarget, printResult } from "../common.js";
import { EXIT, usageError } from "../errors.js";
import {
  checkRowIndices,
  HELP_OPTION,
  int,
  list,
  QUIET_OPTION,
  rowsOption,
  str,
  TARGET_OPTIONS,
  type CommandDef,
} from "../options.js";
import { withProgress } from "../progress.js";
import { parseShock } from "../shocks.js";

export const whatifCommand: CommandDef = {
  name: "whatif",
  summary: "what-if scenarios: exact output changes vs first/second-order Taylor predictions",
  usage: "gradlens whatif MODEL --data FILE --shock SPEC [--shock SPEC …] [options]",
  description: [
    "A shock is TARGET:CHANGE — TARGET an input (price), a component (features[3]) or a feature by name (volatility); CHANGE relative (+1%) or absolute (-0.5, in the input's units). Comma-join shocks to apply them together; each --shock is one scenario.",
  ],
  options: [
    ...TARGET_OPTIONS,
    {
      name: "shock",
      short: "s",
      type: "string",
      multiple: true,
      arg: "SPEC",
      help: "a scenario, e.g. 'price:+1%', 'features[3]:-0.5', 'price:-5%,volatility:+0.1'. Repeatable",
    },
    {
      name: "rows",
      type: "string",
      arg: "N|ROWS",
      help: "rows to evaluate: a count drawn at random or a list (default all)",
    },
    {
      name: "keep-per-sample",
      type: "string",
      arg: "N",
      help: "keep per-row predictions for the first N rows (in --json)",
    },
    {
      name: "json",
      short: "j",
      type: "string",
      arg: "FILE",
      help: "write the what-if section as JSON; - for stdout",
    },
    QUIET_OPTION,
    HELP_OPTION,
  ],
  examples: [
    "gradlens whatif model.keras --data data.csv --shock 'income:+10%'",
    "gradlens whatif examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \\",
    "    --wrap examples/pricing/wrapper.mjs --shock 'price:+1%' --shock 'volatility:+0.05' --shock 'price:-10%,rate:+0.01'",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const shocks = list(args, "shock");
    if (shocks.length === 0)
      throw usageError("give at least one --shock, e.g. --shock 'price:+1%'", "whatif");
    const rows = rowsOption(args, "rows", "whatif");
    const keep = int(args, "keep-per-sample", "whatif", 0);
    const json = str(args, "json");
    const p = await prepareTarget(
      args,
      io,
      "whatif",
      json !== undefined ? [{ option: "--json", file: json }] : [],
    );
    checkRowIndices(rows, p.mapped.n, "rows", "whatif");
    const scenarios = shocks.map((s) => parseShock(s, p.shockable, "whatif"));
    const w: WhatIfSection = withProgress(io, p.quiet, (onProgress) =>
      taylorWhatIf(p.target, p.mapped.data, scenarios, {
        ...p.common,
        seed: p.seed,
        ...(rows !== undefined ? { rows } : {}),
        ...(keep !== undefined ? { keepPerSample: keep } : {}),
        onProgress,
      }),
    );
    await printResult(io, p.quiet, renderTable(whatifTable(w)), json, w);
    return EXIT.ok;
  },
};
