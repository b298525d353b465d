/**
 * Untrustworthy Integrated Gradients in the reports: the terminal and the HTML report say
 * "NOT converged" with the reason, and never show the flagged attributions as plain numbers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { random } from "../src/index.js";
import { renderHtmlReport } from "../src/report/html.js";
import { attributionData } from "../src/report/specs/attribution.js";
import { integratedGradientsTable } from "../src/report/tables.js";
import { formatAnalysis } from "../src/report/terminal.js";
import { loadVegaScripts, type VegaScripts } from "../src/report/vega.js";
import { analyze } from "../src/sensitivity/index.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { mlp } from "./helpers/sensitivityModels.js";

const f = mlp(3, 8);
const x = random.normal([60, 3], { seed: 2, std: 1.5 });
const common = {
  attributionSamples: [0, 1, 2],
  verifySamples: 0,
  dgsm: false,
  smoothGrad: false,
  expectedGradients: false,
};
let bad: SensitivityResult;
let good: SensitivityResult;
let scripts: VegaScripts;

beforeAll(async () => {
  // First-order Riemann sums with a tiny budget cannot meet the tolerance.
  bad = analyze(
    f,
    { x },
    { ...common, integratedGradients: { method: "riemann-left", steps: 2, maxSteps: 4 } },
  );
  good = analyze(f, { x }, common);
  scripts = await loadVegaScripts();
});

describe("reports of Integrated Gradients that did not converge", () => {
  it("the result says so", () => {
    const ig = bad.attribution!.integratedGradients!;
    expect(ig.converged).toBe(false);
    expect(ig.trustworthy.flat().every((t) => !t)).toBe(true);
    expect(ig.reason).toMatch(/not converged/);
    expect(good.attribution!.integratedGradients!.converged).toBe(true);
  });

  it("the terminal warns with the reason and marks every flagged attribution with ~", () => {
    const text = formatAnalysis(bad);
    expect(text).toMatch(/WARNING: Integrated Gradients NOT converged/);
    expect(text).toMatch(/use baseline: "mean"|raise maxSteps/);
    const table = integratedGradientsTable(bad)!;
    for (const row of table.rows) {
      expect(row[row.length - 2]).toBe("NOT converged");
      // Σ IG and each listed attribution carry the mark.
      expect(row[3]).toMatch(/^~/);
      for (const part of row[row.length - 1].split(", ")) expect(part).toMatch(/ ~/);
    }
    expect(table.failedRows).toEqual([0, 1, 2]);
    expect(table.notes.join(" ")).toMatch(/~ marks attributions that are not trustworthy/);
    // A converged result shows plain numbers and no warning.
    const ok = formatAnalysis(good);
    expect(ok).not.toMatch(/WARNING/);
    expect(integratedGradientsTable(good)!.rows.every((row) => row[row.length - 2] === "ok")).toBe(true);
    expect(integratedGradientsTable(good)!.rows[0][3]).not.toMatch(/~/);
  });

  it("the HTML report shows a warning banner and labels the charts' samples as untrustworthy", () => {
    const html = renderHtmlReport(bad, { scripts, generatedAt: "t" });
    const section = html.slice(
      html.indexOf('<section id="attribution">'),
      html.indexOf('<section id="dgsm">'),
    );
    expect(section).toMatch(/<div class="warning" role="alert">/);
    expect(section).toMatch(/NOT converged/);
    expect(section).toMatch(/not trustworthy/);
    expect(attributionData(bad).every((d) => d.sample.includes("NOT converged"))).toBe(true);
    const okHtml = renderHtmlReport(good, { scripts, generatedAt: "t" });
    expect(okHtml).not.toMatch(/class="warning"/);
    expect(attributionData(good).some((d) => d.sample.includes("NOT converged"))).toBe(false);
  });
});
