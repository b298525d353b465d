/**
 * `gradlens report RESULT.json --html FILE`: the HTML report of a saved analysis (the JSON that
 * `gradlens analyze --json` writes), optionally with the model's description.
 */
import { inspectModel } from "../../io/index.js";
import { formatAnalysis } from "../../report/terminal.js";
import { renderHtmlReportWithScripts } from "../../report/write.js";
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { MAX_JSON_DATA_BYTES, parseBoundedJson } from "../data/json.js";
import { readInputFile } from "../data/read.js";
import { note, writeOutput } from "../common.js";
import { dataError, EXIT } from "../errors.js";
import { checkResultShape, ResultShapeError } from "../resultShape.js";
import { checkOutputs, csvOutputs, modelInputFiles, writeCsvTables } from "../outputs.js";
import { CSV_TABLE_NAMES, csvTableText, resultCsvTables } from "../../report/csvTables.js";
import { flag, HELP_OPTION, QUIET_OPTION, str, type CommandDef } from "../options.js";
import { loadModelFile } from "../target.js";

/**
 * Parses and checks a saved sensitivity result (schema v1); data error (exit 3) otherwise.
 *
 * @example
 * const result = readResultFile("result.json", process.cwd());
 */
export function readResultFile(file: string, cwd: string): SensitivityResult {
  const text = readInputFile(file, cwd, "result file", MAX_JSON_DATA_BYTES).toString("utf8");
  const r = parseBoundedJson(text, file);
  const o = r as Partial<SensitivityResult> | null;
  if (typeof o !== "object" || o === null || !("schemaVersion" in o))
    throw dataError(
      `${file}: not a gradlens sensitivity result (no schemaVersion; write one with 'gradlens analyze --json')`,
    );
  if (o.schemaVersion !== 1)
    throw dataError(
      `${file}: sensitivity result schema version ${JSON.stringify(o.schemaVersion)}; this gradlens reads version 1`,
    );
  const missing = (["inputs", "outputs", "summary", "meta"] as const).filter(
    (k) => typeof o[k] !== "object" || o[k] === null,
  );
  if (missing.length > 0 || !Array.isArray(o.inputs?.features) || !Array.isArray(o.summary?.ranking))
    throw dataError(
      `${file}: incomplete sensitivity result (missing ${missing.join(", ") || "inputs.features or summary.ranking"})`,
    );
  try {
    checkResultShape(o);
  } catch (e) {
    if (!(e instanceof ResultShapeError)) throw e;
    throw dataError(`${file}: inconsistent sensitivity result: ${e.message}`);
  }
  return o as SensitivityResult;
}

export const reportCommand: CommandDef = {
  name: "report",
  summary: "render the HTML report of a saved analysis result (JSON)",
  usage: "gradlens report RESULT.json [--html FILE] [--model MODEL] [--title TEXT] [--print] [--csv DIR]",
  description: [
    "Renders the self-contained HTML report (charts need no network) from the JSON written by 'gradlens analyze --json'. The scatter plots and the Jacobian heatmap need per-row results: run analyze with --keep-per-sample N. Pass --model to include the model's description.",
  ],
  options: [
    {
      name: "html",
      type: "string",
      arg: "FILE",
      help: "output file (default RESULT with .html); - for stdout",
    },
    { name: "model", short: "m", type: "string", arg: "MODEL", help: "model file to describe in the report" },
    { name: "title", type: "string", arg: "TEXT", help: "report title" },
    { name: "print", type: "boolean", help: "also print the terminal tables" },
    {
      name: "csv",
      type: "string",
      arg: "DIR",
      help: "also write one CSV per summary table of the result into DIR (as analyze --csv)",
    },
    QUIET_OPTION,
    HELP_OPTION,
  ],
  examples: [
    "gradlens analyze model.keras --data data.csv --keep-per-sample 2000 --json result.json",
    "gradlens report result.json --html report.html --model model.keras",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0];
    const quiet = args.values.quiet === true;
    const modelFile = str(args, "model");
    const html = str(args, "html") ?? file.replace(/\.json$/i, "") + ".html";
    const csvDir = str(args, "csv");
    checkOutputs(
      io.cwd,
      [
        { option: "--html", file: html },
        ...(csvDir !== undefined ? csvOutputs(io.cwd, csvDir, CSV_TABLE_NAMES, "report") : []),
      ],
      [{ what: "result file", file }, ...(modelFile ? modelInputFiles(modelFile, io.cwd) : [])],
      "report",
    );
    const result = readResultFile(file, io.cwd);
    const model = modelFile ? await loadModelFile(modelFile, io.cwd) : null;
    // With the report on stdout, the tables go to stderr.
    if (flag(args, "print")) (html === "-" ? io.stderr : io.stdout)(`${formatAnalysis(result)}\n`);
    // Rendering a checked result cannot fail on the data: a failure here is a bug (exit 70), not
    // an output error; only the write below is exit 6.
    const text = await renderHtmlReportWithScripts(result, {
      title: str(args, "title") ?? modelFile ?? file,
      ...(model ? { modelSummary: inspectModel(model) } : {}),
      sources: { result: file, ...(modelFile ? { model: modelFile } : {}) },
    });
    await writeOutput(io, html, text);
    if (html !== "-") note(io, quiet, `wrote ${html}`);
    if (csvDir !== undefined) {
      const tables = resultCsvTables(result).map((t) => ({ name: t.name, text: csvTableText(t) }));
      await writeCsvTables(io, csvDir, tables);
      note(io, quiet, `wrote ${tables.length} CSV table(s) to ${csvDir}`);
    }
    return EXIT.ok;
  },
};
