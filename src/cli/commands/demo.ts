/**
 * `gradlens demo`: the pricing example end to end through the same code path as
 * `gradlens analyze` — the hidden MLP loaded from examples/pricing/hidden.keras, wrapped by
 * examples/pricing/wrapper.mjs as (hidden(features) + 1) · price, analysed over the 4,000 rows of
 * examples/pricing/data/pricing.csv, with Greeks, verification, two what-if scenarios, feature
 * interactions, effect curves, shape constraints the model satisfies, and the HTML report.
 */
import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dataError } from "../errors.js";
import type { CliIO } from "../io.js";
import {
  HELP_OPTION,
  parseCommandArgs,
  QUIET_OPTION,
  str,
  TIMEOUT_OPTION,
  type CommandDef,
} from "../options.js";
import { analyzeCommand, quoteArg, runAnalyze, type AnalyzeRun } from "./analyze.js";

/** examples/pricing of this checkout (src/cli/commands and dist/cli/commands are both three levels down). */
export const DEMO_DIR = fileURLToPath(new URL("../../../examples/pricing/", import.meta.url));

/** The demo's files. */
export const DEMO_FILES = {
  model: resolve(DEMO_DIR, "hidden.keras"),
  data: resolve(DEMO_DIR, "data/pricing.csv"),
  wrapper: resolve(DEMO_DIR, "wrapper.mjs"),
};

/** A path as short as possible for printing: relative to cwd when inside it. */
const shown = (cwd: string, p: string) => {
  const r = relative(cwd, p);
  return r && !r.startsWith("..") && !isAbsolute(r) ? r : p;
};

/**
 * The `gradlens analyze` arguments the demo runs.
 *
 * @example
 * demoArgv("/work", "report.html"); // ["examples/pricing/hidden.keras", "--data", …]
 */
export function demoArgv(cwd: string, html: string): string[] {
  return [
    shown(cwd, DEMO_FILES.model),
    "--data",
    shown(cwd, DEMO_FILES.data),
    "--wrap",
    shown(cwd, DEMO_FILES.wrapper),
    "--finance",
    "price=price",
    "--baseline",
    "mean",
    "--attribution-samples",
    "6",
    "--shock",
    "price:+1%",
    "--shock",
    "volatility:+0.05",
    // Issue 13: which features interact, what the output does as each moves, and shapes it must have.
    "--interactions",
    "--effects",
    "liquidity,maturity,volatility",
    "--expect",
    "price:increasing,convex",
    "--expect",
    "liquidity:decreasing",
    "--expect",
    "skew:decreasing",
    "--html",
    html,
    "--title",
    "Pricing model (demo)",
  ];
}

/**
 * Runs the demo analysis, printing the command it runs, the tables and the report's path.
 *
 * @example
 * const run = await runDemo(nodeIO(), { html: "report.html" });
 */
export async function runDemo(io: CliIO, opts: { html?: string; quiet?: boolean } = {}): Promise<AnalyzeRun> {
  for (const [what, p] of Object.entries(DEMO_FILES))
    if (!existsSync(p))
      throw dataError(
        `the demo's ${what} file is missing: ${p} (the demo runs from a gradlens checkout; regenerate with 'npx tsx examples/pricing/data/generate.ts')`,
      );
  const html = opts.html ?? "report.html";
  const argv = [...demoArgv(io.cwd, html), ...(opts.quiet ? ["--quiet"] : [])];
  const line = ["gradlens", "analyze", ...argv].map(quoteArg).join(" ");
  // With the report on stdout (--html -), everything else goes to stderr.
  const say = html === "-" ? io.stderr : io.stdout;
  say(`$ ${line}\n\n`);
  const run = await runAnalyze(parseCommandArgs(analyzeCommand, argv), io, line);
  if (html !== "-") say(`\nHTML report: ${resolve(io.cwd, html)}\n`);
  return run;
}

export const demoCommand: CommandDef = {
  name: "demo",
  summary: "the pricing example end to end (writes report.html)",
  usage: "gradlens demo [--html FILE] [--quiet]",
  description: [
    "Loads the hidden [8 → 64 → 64 → 1] tanh network from examples/pricing/hidden.keras, wraps it as (hidden(features) + 1) · price with examples/pricing/wrapper.mjs, and analyses the 4,000 quotes of examples/pricing/data/pricing.csv: sensitivities ranked with delta and gamma for price, the finite-difference check, what-ifs for price +1% and volatility +0.05, crossed-derivative interactions with Integrated Hessians, ICE/PDP/ALE curves of liquidity, maturity and volatility, shape constraints (increasing and convex in price, decreasing in liquidity and skew), and the HTML report. It prints the equivalent 'gradlens analyze' command.",
  ],
  options: [
    {
      name: "html",
      type: "string",
      arg: "FILE",
      help: "where to write the report (default report.html); - for stdout",
    },
    QUIET_OPTION,
    TIMEOUT_OPTION,
    HELP_OPTION,
  ],
  examples: ["gradlens demo", "gradlens demo --html /tmp/pricing-report.html --quiet"],
  positionals: [0, 0],
  async run(args, io) {
    const run = await runDemo(io, { html: str(args, "html"), quiet: args.values.quiet === true });
    return run.code;
  },
};
