/**
 * Integrated Hessians in the terminal and the HTML report: the table (top pairs, completeness
 * checks, NOT CONVERGED when so), the mean |Γ| heatmap spec, and the saved-result shape check.
 */
import { describe, expect, it } from "vitest";
import { random, type Tensor } from "../src/index.js";
import { analyze } from "../src/sensitivity/index.js";
import { formatAnalysis, renderHtmlReport } from "../src/report/index.js";
import { integratedHessiansSpec } from "../src/report/specs/interactions.js";
import { checkResultShape } from "../src/cli/resultShape.js";

const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);
const f = ({ x }: Record<string, Tensor>) => col(x, 0).mul(col(x, 1)).mul(3).add(col(x, 2).sin());
const x = random.uniform([30, 3], { seed: 4, low: -1, high: 1 });
const NO_SCRIPTS = { vega: "", vegaLite: "", vegaEmbed: "" };
const names = { featureNames: { x: ["a", "b", "c"] } };
const r = analyze(f, { x }, { ...names, interactions: true, attributionSamples: 3, bootstrap: 0 });

describe("Integrated Hessians views", () => {
  it("terminal: the strongest pair first, the checks in the notes", () => {
    const text = formatAnalysis(r);
    expect(text).toMatch(/Integrated Hessians \(explained rows\)/);
    const block = text.slice(text.indexOf("Integrated Hessians (explained rows)"));
    expect(block.split("\n").find((l) => l.includes(" × "))).toMatch(/a × b/);
    expect(block).toMatch(/max \|Σ_j Γ_ij − IG_i\|/);
    expect(block).not.toMatch(/NOT CONVERGED/);
  });

  it("terminal says NOT CONVERGED with the reason when a row is not trustworthy", () => {
    const bad = JSON.parse(JSON.stringify(r));
    bad.interactions.integratedHessians.converged = false;
    bad.interactions.integratedHessians.reason = "Integrated Hessians not converged: rows 1: test.";
    expect(formatAnalysis(bad)).toMatch(/NOT CONVERGED: Integrated Hessians not converged: rows 1: test\./);
  });

  it("heatmap: mean |Γ| per cell, both triangles and the diagonal, names as data", () => {
    const spec = integratedHessiansSpec(r) as unknown as {
      data: { values: { a: string; b: string; meanAbs: number; kind: string }[] };
    };
    const cells = spec.data.values;
    expect(cells).toHaveLength(9);
    const ab = cells.find((c) => c.a === "a" && c.b === "b")!;
    const ih = r.interactions!.integratedHessians!;
    expect(ab.meanAbs).toBeCloseTo(ih.meanAbs[0][0][1]!, 6);
    expect(cells.find((c) => c.a === "c" && c.b === "a")!.meanAbs).toBe(0);
    expect(cells.filter((c) => c.kind === "main effect")).toHaveLength(3);
  });

  it("report: the block is drawn when the section has it, and absent otherwise", () => {
    const html = renderHtmlReport(r, { scripts: NO_SCRIPTS });
    expect(html).toContain("Integrated Hessians");
    expect(html).toContain('id="chart-integrated-hessians"');
    const off = JSON.parse(JSON.stringify(r));
    delete off.interactions.integratedHessians;
    // The block's chart is gone (the row explorer's script still names IH tables generically).
    expect(renderHtmlReport(off, { scripts: NO_SCRIPTS })).not.toContain('id="chart-integrated-hessians"');
  });

  it("a saved result with a broken Γ is refused naming the path", () => {
    checkResultShape(JSON.parse(JSON.stringify(r)));
    const bad = JSON.parse(JSON.stringify(r));
    bad.interactions.integratedHessians.interactions[1][0] = [[1, 2]];
    expect(() => checkResultShape(bad)).toThrow(/interactions\.integratedHessians\.interactions\[1\]\[0\]/);
  });
});
