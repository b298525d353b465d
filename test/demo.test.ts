/**
 * `npm run demo`'s core, in-process: both parts print what they should, the analysis passes its
 * checks, and the HTML report is written with every section. Also `gradlens demo` through main().
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPricingDemo, type PricingDemoResult } from "../examples/pricing/demo.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { REPORT_SECTIONS } from "../src/report/html.js";

describe("the pricing demo", () => {
  let dir: string;
  let lines: string[];
  let r: PricingDemoResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gradlens-demo-"));
    lines = [];
    r = await runPricingDemo({ print: (l) => lines.push(l), cwd: dir, html: "report.html" });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes every check", () => {
    expect(r.code).toBe(0);
    expect(r.analysis.result.verification!.passed).toBe(true);
    expect(r.derivatives.closedFormError.dPrice).toBeLessThan(1e-14);
  });

  it("prints part 1 (issue 3, shortened) then part 2", () => {
    const text = lines.join("\n");
    const p1 = text.indexOf("# Part 1");
    const p2 = text.indexOf("# Part 2");
    expect(p1).toBeGreaterThanOrEqual(0);
    expect(p2).toBeGreaterThan(p1);
    expect(text.slice(p1, p2)).toContain("d/dprice = hidden(x) + 1");
    expect(text.slice(p1, p2).split("\n").length).toBeLessThan(30);
  });

  it("prints the equivalent CLI command, the ranking with delta/gamma, verification and what-if tables", () => {
    const text = lines.join("\n");
    expect(text).toContain("$ gradlens analyze ");
    expect(text).toContain("--wrap ");
    expect(text).toContain("Sensitivities of 'value' ranked by σ·mean |∂y/∂x|");
    // The ranking lists all 9 features with the price among them.
    const table = text.slice(text.indexOf("Sensitivities of"));
    for (const f of [
      "price",
      "moneyness",
      "maturity",
      "volatility",
      "rate",
      "dividend_yield",
      "skew",
      "liquidity",
      "spread",
    ])
      expect(table).toMatch(new RegExp(`^\\d +${f} `, "m"));
    expect(text).toMatch(/^value +price +1\.0\d* /m); // delta ≈ 1: the hidden adjustment is small
    expect(text).toContain("Finite-difference check on 10 rows (rtol 1e-6): passed");
    expect(text).toMatch(/^price:\+1% +value /m);
    expect(text).toMatch(/^volatility:\+0\.05 +value /m);
    // Issue 13: interactions, effect curves and shape constraints the model satisfies.
    expect(text).toContain("Interactions (crossed derivatives)");
    for (const f of ["liquidity", "maturity", "volatility"]) expect(text).toContain(`Effects of ${f}`);
    expect(text).toMatch(/^price +increasing +satisfied +0\/4000 /m);
    expect(text).toMatch(/^price +convex +satisfied +0\/4000 /m);
    expect(text).toMatch(/^liquidity +decreasing +satisfied +0\/4000 /m);
    expect(text).toMatch(/^skew +decreasing +satisfied +0\/4000 /m);
    expect(text).toContain(`HTML report: ${join(dir, "report.html")}`);
  });

  it("prints the findings last: verification passed and every declared shape satisfied", () => {
    const text = lines.join("\n");
    const f = text.slice(text.indexOf("# Findings"));
    expect(text.indexOf("# Findings")).toBeGreaterThan(text.indexOf("HTML report:"));
    expect(f).toMatch(/^✓ Verification: passed/m);
    expect(f).not.toMatch(/^✗/m);
    expect(f).toContain("liquidity");
  });

  it("writes a self-contained report with every section and chart", () => {
    const file = join(dir, "report.html");
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");
    for (const id of REPORT_SECTIONS) expect(html).toContain(`<section id="${id}">`);
    for (const id of ["interactions", "effects", "constraints", "explorer"])
      expect(html).toContain(`<section id="${id}">`);
    expect([...html.matchAll(/data-spec="([a-z]+)"/g)].map((m) => m[1])).toEqual([
      "ranking",
      "scatter",
      "heatmap",
      "attribution",
      "dgsm",
      "interactions",
      "effects",
    ]);
    expect(html).toContain("Pricing model (demo)");
    expect(html.length).toBeLessThan(3_000_000);
  });

  it("runs as `gradlens demo`", async () => {
    const io = memoryIO({ cwd: dir });
    const code = await main(["demo", "--html", "cli-report.html", "--quiet"], io);
    expect(code).toBe(0);
    expect(io.out()).toContain("Sensitivities of 'value'");
    expect(io.err()).toBe("");
    expect(existsSync(join(dir, "cli-report.html"))).toBe(true);
  });
});
