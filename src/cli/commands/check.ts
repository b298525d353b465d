/**
 * `gradlens check MODEL --data FILE`: autodiff derivatives against central finite differences
 * on sampled rows. Exit 1 when any relative error exceeds the tolerance.
 */
import { renderTable } from "../../report/terminal.js";
import { verificationTable } from "../../report/tables.js";
import type { VerificationSection } from "../../sensitivity/result/schema.js";
import { verifyDerivatives } from "../../sensitivity/methods/verify.js";
import { prepareTarget, printResult } from "../common.js";
import { dataError, EXIT, usageError } from "../errors.js";
import {
  checkRowIndices,
  flag,
  HELP_OPTION,
  num,
  QUIET_OPTION,
  rowsOption,
  str,
  TARGET_OPTIONS,
  type CommandDef,
} from "../options.js";
import { withProgress } from "../progress.js";

export const checkCommand: CommandDef = {
  name: "check",
  summary: "verify derivatives against finite differences (exit 1 on failure)",
  usage:
    "gradlens check MODEL --data FILE [--input NAME=SPEC …] [--wrap FILE.mjs] [--rows N|ROWS] [--rtol X]",
  description: [
    "Compares the exact derivatives with central differences in float64 on sampled rows (step ∛ε·max(|x|, RMS x)) and prints the largest errors per feature. Use it in CI to catch a model whose derivatives cannot be trusted (non-smooth activations at the data, float32 weights, a wrapper that mixes rows).",
  ],
  options: [
    ...TARGET_OPTIONS,
    {
      name: "rows",
      type: "string",
      arg: "N|ROWS",
      help: "rows to check: a count drawn at random (default 10) or a list like 0,5,17",
    },
    { name: "rtol", type: "string", arg: "X", help: "relative-error threshold (default 1e-6)" },
    { name: "second-order", type: "boolean", help: "also check Hessians against differences of gradients" },
    {
      name: "json",
      short: "j",
      type: "string",
      arg: "FILE",
      help: "write the verification section as JSON; - for stdout",
    },
    QUIET_OPTION,
    HELP_OPTION,
  ],
  examples: [
    "gradlens check model.keras --data data.csv",
    "gradlens check examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \\",
    "    --wrap examples/pricing/wrapper.mjs --rows 50 --second-order",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const rows = rowsOption(args, "rows", "check");
    // A CI gate that checks nothing must not pass.
    if (rows === 0 || (Array.isArray(rows) && rows.length === 0))
      throw usageError("--rows 0 checks nothing; give a count ≥ 1 or a list of rows", "check");
    const rtol = num(args, "rtol", "check", 0, Infinity, true);
    const json = str(args, "json");
    const p = await prepareTarget(
      args,
      io,
      "check",
      json !== undefined ? [{ option: "--json", file: json }] : [],
    );
    if (p.mapped.n === 0) throw dataError("the data has no rows: there is nothing to check");
    checkRowIndices(rows, p.mapped.n, "rows", "check");
    const v: VerificationSection = withProgress(io, p.quiet, (onProgress) =>
      verifyDerivatives(p.target, p.mapped.data, {
        ...p.common,
        seed: p.seed,
        ...(rows !== undefined ? { rows } : {}),
        ...(rtol !== undefined ? { rtol } : {}),
        secondOrder: flag(args, "second-order"),
        onProgress,
      }),
    );
    await printResult(io, p.quiet, renderTable(verificationTable(v)), json, v);
    if (!v.passed) {
      io.stderr(`verification FAILED (rtol ${v.rtol})\n`);
      return EXIT.analysis;
    }
    return EXIT.ok;
  },
};
