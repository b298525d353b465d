/**
 * The pricing demo's core (what `npm run demo` runs): first the issue-3 derivative checks of the
 * pricing model (shortened), then the sensitivity analysis end to end through the CLI's own code
 * path — the hidden MLP loaded from hidden.keras, wrapped as (hidden(features) + 1) · price by
 * wrapper.mjs, analysed over data/pricing.csv — printing the ranked sensitivities with delta and
 * gamma, the verification and what-if tables, interactions, effect curves and shape constraints,
 * then the findings (the report's first screen), and writing the HTML report.
 */
import { runDemo, type AnalyzeRun, type CliIO } from "gradlens/cli";
import { findings } from "gradlens/report";
import { runDerivativesDemo, type DerivativesDemoResult } from "./derivativesDemo.js";

/** Options of `runPricingDemo`. */
export interface PricingDemoOptions {
  /** Receives every line printed to stdout. */
  print: (line: string) => void;
  /** Receives stderr text (notes, the progress bar); default: dropped. */
  printErr?: (text: string) => void;
  /** Whether stderr is a terminal (draws the progress bar). */
  stderrIsTTY?: boolean;
  /** Where the HTML report goes (resolved against `cwd`); default report.html. */
  html?: string;
  /** Working directory for relative paths; default the process's. */
  cwd?: string;
}

/** What the demo produced. */
export interface PricingDemoResult {
  derivatives: DerivativesDemoResult;
  analysis: AnalyzeRun;
  /** 0 when every check passed. */
  code: number;
  /** Wall-clock milliseconds of the two parts. */
  ms: { derivatives: number; analysis: number };
}

/**
 * Runs both parts of the demo.
 *
 * @example
 * const r = await runPricingDemo({ print: console.log, html: "report.html" });
 * process.exitCode = r.code;
 */
export async function runPricingDemo(opts: PricingDemoOptions): Promise<PricingDemoResult> {
  const t0 = performance.now();
  opts.print("# Part 1 — derivatives of the pricing model (issue 3)\n");
  const derivatives = runDerivativesDemo({ rows: 5, print: opts.print });
  const worst = Math.max(
    derivatives.closedFormError.dPrice,
    derivatives.closedFormError.dFeatures,
    derivatives.finiteDifferenceError.seed,
    derivatives.finiteDifferenceError.mlp,
  );
  const t1 = performance.now();
  opts.print("\n# Part 2 — sensitivity analysis of the pricing model over 4,000 quotes\n");
  let pending = "";
  const io: CliIO = {
    stdout: (text) => {
      // The CLI writes text in chunks; hand complete lines to print.
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach((l) => opts.print(l));
    },
    stderr: (text) => opts.printErr?.(text),
    stderrIsTTY: opts.stderrIsTTY ?? false,
    columns: process.stderr.columns,
    cwd: opts.cwd ?? process.cwd(),
    now: () => performance.now(),
  };
  const analysis = await runDemo(io, { html: opts.html ?? "report.html" });
  if (pending) opts.print(pending);
  // The report's first screen, in the terminal: what a reader must know before any table.
  opts.print("\n# Findings (the first screen of the report)\n");
  const mark = { ok: "✓", bad: "✗", info: "·" } as const;
  for (const f of findings(analysis.result))
    opts.print(`${mark[f.tone]} ${f.topic ? `${f.topic}: ` : "  "}${f.text}`);
  const t2 = performance.now();
  let code = analysis.code;
  if (worst > 1e-6) {
    opts.print(`derivative checks failed (max rel err ${worst})`);
    code = 1;
  }
  return { derivatives, analysis, code, ms: { derivatives: t1 - t0, analysis: t2 - t1 } };
}
