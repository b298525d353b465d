/**
 * `gradlens analyze MODEL --data FILE …`: the whole sensitivity analysis (`analyze`) with ranked
 * sensitivities, Greeks, the verification and what-if tables on stdout, and optionally the
 * result as JSON (schema v1) and the HTML report. Exit 1 when the verification fails, or when
 * Integrated Gradients did not converge (unless --allow-unconverged).
 */
import { inspectModel } from "../../io/index.js";
import { CSV_TABLE_NAMES, csvTableText, resultCsvTables } from "../../report/csvTables.js";
import { formatAnalysis } from "../../report/terminal.js";
import { renderHtmlReportWithScripts } from "../../report/write.js";
import { analyze, type AnalyzeOptions } from "../../sensitivity/analyze.js";
import type { DgsmDistributionOption, DgsmDistributionSpec } from "../../sensitivity/methods/dgsm.js";
import {
  DEFAULT_IG_MAX_STEPS,
  resolveIntegratedGradientsOptions,
  type BaselineOption,
  type InputBaseline,
} from "../../sensitivity/methods/integratedGradients.js";
import type { QuadratureMethod } from "../../sensitivity/stats/quadrature.js";
import type { SobolMarginalOption } from "../../sensitivity/methods/sobol/marginals.js";
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { note, prepareTarget, targetLabel, writeOutput, type Prepared } from "../common.js";
import { didYouMean } from "../data/source.js";
import { EXIT, usageError } from "../errors.js";
import type { CliIO } from "../io.js";
import {
  flag,
  HELP_OPTION,
  int,
  list,
  names,
  num,
  QUIET_OPTION,
  checkRowIndices,
  rowsOption,
  str,
  TARGET_OPTIONS,
  type CommandDef,
  type OptionDef,
  type ParsedArgs,
} from "../options.js";
import { csvOutputs, writeCsvTables } from "../outputs.js";
import { withProgress } from "../progress.js";
import { UnknownUnitNameError } from "../../sensitivity/result/units.js";
import { parseShock } from "../shocks.js";
import { parseExpect } from "../expect.js";

const IG_METHODS: QuadratureMethod[] = ["gauss-legendre", "riemann-left", "riemann-mid", "trapezoid"];
const ATTRIBUTION_METHODS = ["ig", "smoothgrad", "expected"] as const;

/** The analysis options (shared with `demo`). */
export const ANALYZE_OPTIONS: OptionDef[] = [
  {
    name: "finance",
    type: "string",
    arg: "price=NAME[,NAME]",
    help: "price-like inputs: adds delta, gamma and cross-gammas (turns on second order)",
  },
  { name: "second-order", type: "boolean", help: "per-sample Hessians (cross terms included)" },
  {
    name: "interactions",
    type: "boolean",
    help: "crossed-derivative interactions E[(∂²y/∂x_a∂x_b)²] of every feature pair with bounds on their interaction indices (turns on second order)",
  },
  {
    name: "attribution-samples",
    type: "string",
    arg: "N|ROWS",
    help: "rows to explain: a count drawn at random or a list like 0,5,17 (default 10; 0 turns attribution off)",
  },
  {
    name: "attribution-methods",
    type: "string",
    arg: "LIST",
    help: "attributions besides Input×Gradient: ig, smoothgrad, expected (default all three)",
  },
  {
    name: "ig-steps",
    type: "string",
    arg: "N",
    help: "Integrated Gradients steps (points for gauss-legendre) of the first attempt",
  },
  {
    name: "ig-max-steps",
    type: "string",
    arg: "N",
    help: "cap on the steps of each row's adaptive Integrated Gradients rule (default 4096)",
  },
  {
    name: "ig-method",
    type: "string",
    arg: "METHOD",
    help: `quadrature: ${IG_METHODS.join(", ")} (default gauss-legendre)`,
  },
  {
    name: "baseline",
    type: "string",
    arg: "B",
    help:
      "Integrated Gradients baseline: mean (default: the data mean, inside the data where the model is defined; " +
      "zeros is not for log(S/K)-like targets), zeros, or per input like price=mean,features=0",
  },
  {
    name: "allow-unconverged",
    type: "boolean",
    help: "exit 0 even when Integrated Gradients (or Integrated Hessians) did not converge (the values stay flagged ~ and trustworthy: false)",
  },
  {
    name: "verify-samples",
    type: "string",
    arg: "N|ROWS",
    help: "rows checked against finite differences (default 10; 0 turns it off)",
  },
  {
    name: "rtol",
    type: "string",
    arg: "X",
    help: "relative-error threshold of the verification (default 1e-6)",
  },
  {
    name: "shock",
    short: "s",
    type: "string",
    multiple: true,
    arg: "SPEC",
    help: "a what-if scenario: price:+1% (relative), features[3]:-0.5 or volatility:+0.02 (absolute); comma-join to shock together. Repeatable",
  },
  {
    name: "whatif-samples",
    type: "string",
    arg: "N|ROWS",
    help: "rows the scenarios are evaluated on (default all)",
  },
  {
    name: "keep-per-sample",
    type: "string",
    arg: "N|all",
    help: "keep per-row values and derivatives in the result: a count of first rows, all, or none (default none; 1000 with --html, for its charts)",
  },
  {
    name: "bootstrap",
    type: "string",
    arg: "N",
    help: "bootstrap replicates of the DGSM intervals (default 200; 0 none)",
  },
  { name: "confidence", type: "string", arg: "X", help: "level of the bootstrap intervals (default 0.95)" },
  {
    name: "expect",
    type: "string",
    multiple: true,
    arg: "FEATURE:KIND[,KIND]",
    help: "a shape the model must have: increasing, decreasing, convex or concave in FEATURE, checked with exact derivatives on every row and on 1024 points of the data's bounding box; exit 1 when violated. Repeatable",
  },
  {
    name: "effects",
    type: "string",
    optionalValue: true,
    arg: "FEATURES",
    help: "ICE, partial dependence and derivative-based ALE curves of the comma-separated FEATURES (default the top 5 of the ranking by σ·mean |∂y/∂x|); write --effects=FEATURES before the model, or after it with a space",
  },
  {
    name: "sobol",
    type: "string",
    arg: "N",
    help: "variance-based Sobol' indices (first order and total) from N base samples of a scrambled Sobol' design over the data's empirical marginals: N·(features + 2) model evaluations",
  },
  {
    name: "sobol-marginals",
    type: "string",
    arg: "M",
    help: "marginals of the Sobol' design: empirical (default: the data's quantiles), uniform (the data's range), normal (its mean and std), or per feature like price=uniform,vol=normal (the rest empirical)",
  },
  {
    name: "dgsm-distribution",
    type: "string",
    arg: "D",
    help: "input distribution for the Sobol' bounds: uniform (default), normal, or per feature/input like price=normal",
  },
  {
    name: "json",
    short: "j",
    type: "string",
    arg: "FILE",
    help: "write the result (schema v1, docs/sensitivity-schema.md); - for stdout",
  },
  {
    name: "html",
    type: "string",
    arg: "FILE",
    help: "write the self-contained HTML report; - for stdout",
  },
  {
    name: "units",
    type: "string",
    multiple: true,
    arg: "NAME=UNIT",
    help: "the unit of a feature, input or output, shown beside its name in the tables and the report's axes (labels only; kept in the result's meta.units). Repeatable",
  },
  {
    name: "csv",
    type: "string",
    arg: "DIR",
    help: "write one CSV per summary table (ranking, attribution, DGSM, verification, what-if, interactions, effects, Sobol', constraints: those in the result) into DIR, with a row column to join per-row tables back to the data",
  },
  { name: "title", type: "string", arg: "TEXT", help: "title of the HTML report (default the model file)" },
  { name: "top", type: "string", arg: "N", help: "features per ranking table in the terminal (default all)" },
];

/** Refuses (exit 2) a NAME in an option that is not one of `known`. */
function checkName(option: string, name: string, known: readonly string[], what: string, command: string) {
  if (!known.includes(name))
    throw usageError(
      `${option}: '${name}' is not ${what} (${what}s: ${known.join(", ")})${didYouMean(name, known)}`,
      command,
    );
}

/** Parses `--baseline`; INPUT=VALUE pairs must name inputs. */
function parseBaseline(
  v: string | undefined,
  inputs: readonly string[],
  command: string,
): BaselineOption | undefined {
  if (v === undefined) return undefined;
  if (v === "zeros" || v === "mean") return v;
  const out: Record<string, InputBaseline> = {};
  for (const part of v.split(",")) {
    const [k, val] = part.split("=").map((s) => s?.trim());
    if (!k || val === undefined || val === "")
      throw usageError(
        `--baseline '${v}': expected zeros, mean, or INPUT=VALUE pairs like price=mean,features=0`,
        command,
      );
    checkName("--baseline", k, inputs, "an input", command);
    if (Object.hasOwn(out, k)) throw usageError(`--baseline '${v}': input '${k}' is given twice`, command);
    if (val === "zeros" || val === "mean") out[k] = val;
    else if (Number.isFinite(Number(val))) out[k] = Number(val);
    else throw usageError(`--baseline ${k}=${val}: expected zeros, mean or a number`, command);
  }
  return out;
}

/** Parses `--dgsm-distribution`; NAME=… pairs must name inputs or features. */
function parseDistribution(
  v: string | undefined,
  names: readonly string[],
  command: string,
): DgsmDistributionOption | undefined {
  if (v === undefined) return undefined;
  if (v === "uniform" || v === "normal") return v;
  const out: Record<string, DgsmDistributionSpec> = {};
  for (const part of v.split(",")) {
    const [k, val] = part.split("=").map((s) => s?.trim());
    if (!k || (val !== "uniform" && val !== "normal"))
      throw usageError(
        `--dgsm-distribution '${v}': expected uniform, normal, or NAME=uniform|normal pairs`,
        command,
      );
    checkName("--dgsm-distribution", k, names, "an input or feature", command);
    out[k] = val;
  }
  return out;
}

/** Parses the repeatable `--units NAME=UNIT` (the names are checked by `analyze`, which knows the outputs). */
function parseUnits(specs: readonly string[], command: string): Record<string, string> | undefined {
  if (specs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const name = eq > 0 ? spec.slice(0, eq).trim() : "";
    const unit = eq > 0 ? spec.slice(eq + 1).trim() : "";
    if (!name || !unit)
      throw usageError(`--units '${spec}': expected NAME=UNIT, e.g. --units price=USD`, command);
    if (Object.hasOwn(out, name)) throw usageError(`--units: '${name}' is given twice`, command);
    out[name] = unit;
  }
  return out;
}

const SOBOL_MARGINALS = ["empirical", "uniform", "normal"] as const;
type SobolMarginalKind = (typeof SOBOL_MARGINALS)[number];

/** Parses `--sobol-marginals`: one kind for every feature, or FEATURE=KIND pairs (features checked). */
function parseSobolMarginals(
  v: string | undefined,
  features: readonly string[],
  command: string,
): SobolMarginalOption | undefined {
  if (v === undefined) return undefined;
  const kind = (k: string, what: string): SobolMarginalKind => {
    if ((SOBOL_MARGINALS as readonly string[]).includes(k)) return k as SobolMarginalKind;
    throw usageError(
      `--sobol-marginals ${what}: expected ${SOBOL_MARGINALS.join(", ")}, got '${k}'`,
      command,
    );
  };
  if (!v.includes("=")) return kind(v.trim(), `'${v}'`);
  const out: Record<string, SobolMarginalKind> = {};
  for (const part of v.split(",")) {
    const [name, k] = part.split("=").map((x) => x?.trim());
    if (!name || k === undefined)
      throw usageError(
        `--sobol-marginals '${v}': expected a kind or FEATURE=KIND pairs like price=uniform`,
        command,
      );
    checkName("--sobol-marginals", name, features, "a feature", command);
    if (Object.hasOwn(out, name)) throw usageError(`--sobol-marginals: '${name}' is given twice`, command);
    out[name] = kind(k, name);
  }
  return out;
}

/** Parses `--keep-per-sample`. */
function parseKeep(v: string | undefined, command: string): boolean | number | undefined {
  if (v === undefined) return undefined;
  if (v === "all") return true;
  if (v === "none") return false;
  if (/^\d+$/.test(v)) return Number(v);
  throw usageError(`--keep-per-sample must be a count, all or none, got '${v}'`, command);
}

/**
 * Parses `--finance price=NAME[,NAME]`; the names must be inputs (usage error, exit 2). Shared
 * with `derivatives`.
 *
 * @example
 * parseFinance("price=price", ["price", "features"], "analyze"); // { price: "price" }
 */
export function parseFinance(
  v: string | undefined,
  inputs: readonly string[],
  command: string,
  wrt?: readonly string[],
): AnalyzeOptions["finance"] {
  if (v === undefined) return undefined;
  const m = /^price=(.+)$/.exec(v.trim());
  if (!m) throw usageError(`--finance '${v}': expected price=INPUT (e.g. --finance price=price)`, command);
  const prices = m[1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (prices.length === 0) throw usageError(`--finance '${v}': expected price=INPUT`, command);
  for (const name of prices) {
    checkName("--finance price", name, inputs, "an input", command);
    if (wrt && !wrt.includes(name))
      throw usageError(
        `--finance price=${name}: input '${name}' is not differentiated (add it to --wrt)`,
        command,
      );
  }
  return { price: prices.length === 1 ? prices[0] : prices };
}

/**
 * The `AnalyzeOptions` of a command line (everything but `onProgress`).
 *
 * @example
 * const opts = analyzeOptionsFrom(args, prepared, "analyze");
 */
export function analyzeOptionsFrom(args: ParsedArgs, p: Prepared, command: string): AnalyzeOptions {
  const methods = names(args, "attribution-methods") ?? [...ATTRIBUTION_METHODS];
  for (const m of methods)
    if (!(ATTRIBUTION_METHODS as readonly string[]).includes(m))
      throw usageError(
        `--attribution-methods: unknown method '${m}' (expected ${ATTRIBUTION_METHODS.join(", ")})`,
        command,
      );
  const igMethod = str(args, "ig-method");
  if (igMethod !== undefined && !IG_METHODS.includes(igMethod as QuadratureMethod))
    throw usageError(`--ig-method must be one of ${IG_METHODS.join(", ")}, got '${igMethod}'`, command);
  const igSteps = int(args, "ig-steps", command, 1);
  const igMaxSteps = int(args, "ig-max-steps", command, 1);
  // The library resolves the defaults (the first attempt depends on the method): a first attempt
  // past the budget cannot run, whether the user gave --ig-steps or only --ig-max-steps.
  try {
    resolveIntegratedGradientsOptions({
      method: igMethod as QuadratureMethod | undefined,
      steps: igSteps,
      maxSteps: igMaxSteps,
    });
  } catch {
    const r = resolveIntegratedGradientsOptions({ method: igMethod as QuadratureMethod | undefined });
    const steps = igSteps ?? r.steps;
    const budget = igMaxSteps ?? DEFAULT_IG_MAX_STEPS;
    throw usageError(
      `--ig-steps (${steps}${igSteps === undefined ? `, the default for ${r.method}` : ""}) must be ≤ ` +
        `--ig-max-steps (${budget}${igMaxSteps === undefined ? ", the default" : ""}); ` +
        (igSteps === undefined
          ? `raise --ig-max-steps to ≥ ${steps} or give a smaller --ig-steps`
          : "raise --ig-max-steps or lower --ig-steps"),
      command,
    );
  }
  const inputNames = p.shockable.map((i) => i.name);
  const differentiated = p.common.wrt ?? inputNames;
  const baseline = parseBaseline(str(args, "baseline"), inputNames, command);
  if (baseline !== undefined && typeof baseline === "object") {
    const missing = differentiated.filter((n) => !Object.hasOwn(baseline, n));
    if (missing.length > 0)
      throw usageError(
        `--baseline gives no baseline for input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")}; ` +
          `give one per input, e.g. ${differentiated.map((n) => `${n}=mean`).join(",")}`,
        command,
      );
  }
  const keep = parseKeep(str(args, "keep-per-sample"), command);
  const opts: AnalyzeOptions = {
    ...p.common,
    seed: p.seed,
    keepPerSample: keep ?? (str(args, "html") ? Math.min(p.mapped.n, 1000) : false),
    integratedGradients: methods.includes("ig")
      ? {
          ...(baseline !== undefined ? { baseline } : {}),
          ...(igMethod ? { method: igMethod as QuadratureMethod } : {}),
          ...(igSteps !== undefined ? { steps: igSteps } : {}),
          ...(igMaxSteps !== undefined ? { maxSteps: igMaxSteps } : {}),
        }
      : false,
    smoothGrad: methods.includes("smoothgrad"),
    expectedGradients: methods.includes("expected"),
  };
  const finance = parseFinance(str(args, "finance"), inputNames, command, p.common.wrt);
  if (finance) opts.finance = finance;
  if (flag(args, "second-order")) opts.secondOrder = true;
  if (flag(args, "interactions")) opts.interactions = true;
  const sobol = int(args, "sobol", command, 2);
  const marginals = parseSobolMarginals(
    str(args, "sobol-marginals"),
    p.shockable.flatMap((i) => i.featureNames),
    command,
  );
  if (marginals !== undefined && sobol === undefined)
    throw usageError("--sobol-marginals needs --sobol N (the Sobol' indices are off without it)", command);
  if (sobol !== undefined) opts.sobol = { samples: sobol, ...(marginals !== undefined ? { marginals } : {}) };
  const effects = str(args, "effects");
  if (effects !== undefined) {
    const known = p.shockable.flatMap((i) => i.featureNames);
    const features = effects.split(",").filter((f) => f !== "");
    for (const f of features) checkName("--effects", f, known, "a feature", command);
    opts.effects = features.length > 0 ? { features } : true;
  }
  const attr = rowsOption(args, "attribution-samples", command);
  checkRowIndices(attr, p.mapped.n, "attribution-samples", command);
  if (attr !== undefined) opts.attributionSamples = attr;
  const verify = rowsOption(args, "verify-samples", command);
  checkRowIndices(verify, p.mapped.n, "verify-samples", command);
  if (verify !== undefined) opts.verifySamples = verify;
  const rtol = num(args, "rtol", command, 0, Infinity, true);
  if (rtol !== undefined) opts.verifyTolerance = rtol;
  const shocks = list(args, "shock");
  if (shocks.length > 0) opts.whatif = shocks.map((s) => parseShock(s, p.shockable, command));
  const wRows = rowsOption(args, "whatif-samples", command);
  checkRowIndices(wRows, p.mapped.n, "whatif-samples", command);
  if (wRows !== undefined) opts.whatifSamples = wRows;
  const boot = int(args, "bootstrap", command, 0);
  if (boot !== undefined) opts.bootstrap = boot;
  const conf = num(args, "confidence", command, 0, 1, true);
  if (conf !== undefined) opts.confidenceLevel = conf;
  const units = parseUnits(list(args, "units"), command);
  if (units) opts.units = units;
  const dist = parseDistribution(
    str(args, "dgsm-distribution"),
    [...inputNames, ...p.shockable.flatMap((i) => i.featureNames)],
    command,
  );
  if (dist !== undefined) opts.dgsmDistribution = dist;
  return opts;
}

/** The model description for the HTML report: the loader's summary plus the wrapper. */
export function modelDescription(p: Prepared): string {
  const lines = [inspectModel(p.loaded.model).trimEnd()];
  const w = p.loaded.wrapper;
  if (w)
    lines.push(
      "",
      `Wrapped by ${w.file}: the analysed target is wrap(model, inputs)` +
        (w.inputNames ? ` with inputs ${w.inputNames.join(", ")}` : "") +
        (w.outputNames ? ` and outputs ${w.outputNames.join(", ")}` : ""),
    );
  return lines.join("\n");
}

const quoteArg = (a: string) => (/^[\w@%+=:,./[\]-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/**
 * What `runAnalyze` produced.
 *
 * @example
 * const run: AnalyzeRun = await runDemo(nodeIO(), { html: "report.html" });
 * run.result.verification?.passed; // true
 */
export interface AnalyzeRun {
  code: number;
  result: SensitivityResult;
  htmlPath: string | null;
}

/**
 * Runs the analysis of a parsed command line: prints the tables, writes --json and --html.
 *
 * @example
 * const run = await runAnalyze(parseCommandArgs(analyzeCommand, argv), io, "gradlens analyze …");
 */
export async function runAnalyze(args: ParsedArgs, io: CliIO, commandLine: string): Promise<AnalyzeRun> {
  const command = "analyze";
  const top = int(args, "top", command, 1);
  const jsonFile = str(args, "json");
  const htmlFile = str(args, "html");
  const csvDir = str(args, "csv");
  const p = await prepareTarget(args, io, command, [
    ...(jsonFile !== undefined ? [{ option: "--json", file: jsonFile }] : []),
    ...(htmlFile !== undefined ? [{ option: "--html", file: htmlFile }] : []),
    ...(csvDir !== undefined ? csvOutputs(io.cwd, csvDir, CSV_TABLE_NAMES, command) : []),
  ]);
  const opts = analyzeOptionsFrom(args, p, command);
  const expectSpecs = list(args, "expect");
  const expect = expectSpecs.length
    ? parseExpect(
        expectSpecs,
        p.shockable.flatMap((i) => i.featureNames),
        command,
      )
    : null;
  if (expect) opts.expect = expect;
  const result: SensitivityResult = withProgress(io, p.quiet, (onProgress) => {
    try {
      return analyze(p.target, p.mapped.data, { ...opts, onProgress });
    } catch (e) {
      // A unit for a name the analysis does not have is the user's typo: a usage error (exit 2).
      if (e instanceof UnknownUnitNameError)
        throw usageError(
          `--units: '${e.unitName}' is not a feature, input or output (${e.known.join(", ")})${didYouMean(e.unitName, e.known)}`,
          command,
        );
      throw e;
    }
  });
  const constraints = result.constraints;
  const text = formatAnalysis(result, top !== undefined ? { top } : {});
  // With the JSON or the HTML on stdout, the tables go to stderr so stdout stays machine-readable.
  if (jsonFile === "-" || htmlFile === "-") note(io, p.quiet, text);
  else io.stdout(`Sensitivity analysis of ${targetLabel(p)}\n\n${text}\n`);
  if (jsonFile) {
    await writeOutput(io, jsonFile, JSON.stringify(result) + "\n");
    if (jsonFile !== "-") note(io, p.quiet, `wrote ${jsonFile}`);
  }
  if (htmlFile) {
    // A rendering failure is a bug (exit 70), not an output error; only the write is exit 6.
    const html = await renderHtmlReportWithScripts(result, {
      title: str(args, "title") ?? p.loaded.modelFile,
      modelSummary: modelDescription(p),
      sources: {
        model: p.loaded.modelFile,
        ...(p.loaded.wrapper ? { wrapper: p.loaded.wrapper.file } : {}),
        ...(p.source ? { data: p.source.file } : {}),
        inputs: p.mapped.description.join("; "),
      },
      command: commandLine,
    });
    await writeOutput(io, htmlFile, html);
    if (htmlFile !== "-") note(io, p.quiet, `wrote ${htmlFile}`);
  }
  if (csvDir !== undefined) {
    const tables = resultCsvTables(result).map((t) => ({ name: t.name, text: csvTableText(t) }));
    const written = await writeCsvTables(io, csvDir, tables);
    note(
      io,
      p.quiet,
      `wrote ${written.length} CSV table(s) to ${csvDir}: ${tables.map((t) => t.name).join(", ")}`,
    );
  }
  let code: number = EXIT.ok;
  if (result.verification && !result.verification.passed) {
    const bad = result.verification.gradients.perFeature.filter((f) => !f.passed).map((f) => f.feature);
    io.stderr(
      `verification FAILED: autodiff and finite differences disagree beyond rtol ${result.verification.rtol}` +
        (bad.length ? ` for ${bad.join(", ")}` : " (Hessians)") +
        "\n",
    );
    code = EXIT.analysis;
  }
  if (constraints && constraints.violated > 0) {
    const bad = constraints.checks
      .filter((c) => c.status === "violated")
      .map((c) => `${c.feature} ${c.expect}`);
    io.stderr(`shape constraints VIOLATED: ${bad.join(", ")}\n`);
    code = EXIT.analysis;
  }
  // Integrated Hessians that missed their completeness checks are refused the same way.
  const ih = result.interactions?.integratedHessians;
  if (ih && !ih.converged) {
    const what = `${ih.reason ?? "Integrated Hessians not converged."} The rows stay in the JSON with trustworthy: false.`;
    if (flag(args, "allow-unconverged"))
      note(io, p.quiet, `warning: ${what} (allowed by --allow-unconverged)`);
    else {
      io.stderr(`${what} Pass --allow-unconverged to accept them.\n`);
      code = EXIT.analysis;
    }
  }
  const ig = result.attribution?.integratedGradients;
  if (ig && !ig.converged) {
    const what =
      `${ig.reason ?? "Integrated Gradients not converged."} The flagged attributions are marked ~ in the ` +
      "tables and trustworthy: false in the JSON and the HTML report.";
    if (flag(args, "allow-unconverged"))
      note(io, p.quiet, `warning: ${what} (allowed by --allow-unconverged)`);
    else {
      io.stderr(
        // The reason carries the fix that fits the failure (it knows the baseline and the status).
        `${what} Pass --allow-unconverged to accept them.\n`,
      );
      code = EXIT.analysis;
    }
  }
  return { code, result, htmlPath: htmlFile ?? null };
}

export const analyzeCommand: CommandDef = {
  name: "analyze",
  summary: "sensitivity analysis: ranked derivatives, Greeks, attribution, DGSM, verification, what-if",
  usage: "gradlens analyze MODEL --data FILE [--input NAME=SPEC …] [--wrap FILE.mjs] [options]",
  description: [
    "Computes exact per-row derivatives of the model's outputs with respect to its inputs over every data row and prints the features ranked by mean |∂y/∂x| (with RMS, quantiles, elasticities and DGSM Sobol' bounds), the Greeks of price inputs, the finite-difference verification and the what-if table.",
    "MODEL is a Keras 3 .keras, legacy .h5 or TF.js model.json file. With --wrap the analysed target is the wrapper's function of the loaded model.",
    "Integrated Gradients start from the data mean by default (--baseline). A baseline where the model's output is not finite is refused; rows whose attributions miss the completeness tolerance are marked ~ and make the command exit 1 unless --allow-unconverged.",
  ],
  options: [...TARGET_OPTIONS, ...ANALYZE_OPTIONS, QUIET_OPTION, HELP_OPTION],
  examples: [
    "gradlens analyze model.keras --data data.csv --html report.html",
    "gradlens analyze examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \\",
    "    --wrap examples/pricing/wrapper.mjs --finance price=price --baseline mean \\",
    "    --shock 'price:+1%' --shock 'volatility:+0.02' --json result.json --html report.html",
    "gradlens analyze model.keras --data x.csv --input features=f1..f8 --input price=px --verify-samples 50",
    "gradlens analyze model.h5 --data feats.json --json - --quiet | jq .summary.ranking",
  ],
  positionals: [1, 1],
  async run(args, io) {
    const line = ["gradlens", "analyze", ...args.positionals, ...rebuildArgv(args)].map(quoteArg).join(" ");
    return (await runAnalyze(args, io, line)).code;
  },
};

/** The options of a parsed command line as argv again (for the report's "command" line). */
function rebuildArgv(args: ParsedArgs): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(args.values)) {
    if (v === undefined || v === false) continue;
    if (v === true) out.push(`--${k}`);
    else for (const x of Array.isArray(v) ? v : [v]) out.push(`--${k}`, x);
  }
  return out;
}

export { quoteArg, rebuildArgv };
