/**
 * The report's first screen (issue 13, item 5): each finding is present, correct for a crafted
 * result and links to its section; nothing is claimed for a section the result does not hold.
 */
import { describe, expect, it } from "vitest";
import { findings, findingsHtml } from "../src/report/findings.js";
import { renderHtmlReport } from "../src/report/html.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { fixtureResult, HOSTILE } from "./report.fixture.js";
import { withNewSections } from "./report.sections.fixture.js";

const SCRIPTS = { vega: "", vegaLite: "", vegaEmbed: "" };
const base = fixtureResult(120);
const clone = (r: SensitivityResult): SensitivityResult => JSON.parse(JSON.stringify(r));

describe("findings first screen", () => {
  it("leads the page, before the model section, and every link points at a section of the page", () => {
    const html = renderHtmlReport(withNewSections(base), { scripts: SCRIPTS });
    expect(html.indexOf('<section id="findings">')).toBeLessThan(html.indexOf('<section id="model">'));
    const links = [...findingsHtml(base).matchAll(/href="#([a-z]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(4);
    for (const id of links) expect(html).toContain(`<section id="${id}">`);
  });

  it("says the top features and their direction from the sign of the mean derivative", () => {
    const f = findings(base).filter((x) => x.section === "ranking");
    const top = base.summary.ranking[0].byScaled.slice(0, 3);
    expect(f.map((x) => x.text.startsWith(top[f.indexOf(x)].feature))).toEqual([true, true, true]);
    const stats = (name: string) =>
      base.summary.gradients.find((e) => e.outputIndex === 0 && e.feature === name)!.stats;
    for (const [i, t] of top.entries()) {
      const s = stats(t.feature);
      const want =
        s.positiveShare! >= 0.95
          ? "increases the output"
          : s.negativeShare! >= 0.95
            ? "decreases the output"
            : "mixed";
      expect(f[i].text).toContain(want);
    }
    // A feature whose derivative changes sign is called mixed, not increasing.
    const r = clone(base);
    const g = r.summary.gradients.find((e) => e.outputIndex === 0 && e.feature === top[0].feature)!;
    Object.assign(g.stats, { mean: -0.1, positiveShare: 0.4, negativeShare: 0.6 });
    expect(findings(r).find((x) => x.topic === "Top feature 1")!.text).toContain(
      "decreases on average, but the sign is mixed",
    );
  });

  it("reports verification passed, FAILED and not run", () => {
    expect(findings(base)[0]).toMatchObject({ tone: "ok", section: "verification" });
    const failed = clone(base);
    failed.verification!.passed = false;
    failed.verification!.gradients.perFeature[1].passed = false;
    failed.verification!.gradients.perFeature[1].maxRelError = 0.5;
    const v = findings(failed)[0];
    expect(v.tone).toBe("bad");
    expect(v.text).toContain(`FAILED`);
    expect(v.text).toContain(failed.verification!.gradients.perFeature[1].feature);
    expect(findings({ ...base, verification: null })[0].text).toContain("not run");
  });

  it("lists the strongest interactions and the constraint violations, only when present", () => {
    expect(findings(base).some((x) => x.section === "interactions" || x.section === "constraints")).toBe(
      false,
    );
    const f = findings(withNewSections(base));
    const inter = f.filter((x) => x.section === "interactions");
    expect(inter.map((x) => x.text.split(":")[0])).toEqual([
      `price × ${HOSTILE.feature1}`,
      `alpha × ${HOSTILE.feature2}`,
      "price × alpha",
    ]);
    const viol = f.filter((x) => x.section === "constraints");
    expect(viol).toHaveLength(1); // the satisfied one is not a violation
    expect(viol[0].tone).toBe("bad");
    expect(viol[0].text).toBe(
      `${HOSTILE.feature1} expected convex: violated on 12.5% of rows (30), worst row 17.`,
    );
  });

  it("ranks pairs by their bound (unit-free), not by ν, and says when no pair interacts materially", () => {
    const r = withNewSections(base);
    const pairs = r.interactions!.pairs;
    // ν large but bound tiny (a pair of features with large units) must not lead.
    pairs[0].bound = 0.002;
    const lead = findings(r).filter((x) => x.section === "interactions");
    expect(lead[0].topic).toBe("Strongest interactions");
    expect(lead[0].text.startsWith(`${pairs[1].features[0]} × ${pairs[1].features[1]}`)).toBe(true);
    for (const p of pairs) p.bound = Math.min(p.bound as number, 0.004);
    const none = findings(r).filter((x) => x.section === "interactions");
    expect(none).toHaveLength(1);
    expect(none[0].text).toContain("no pair interacts materially");
    expect(none[0].text).toContain(`largest: ${pairs[1].features[0]} × ${pairs[1].features[1]}`);
  });

  it("finds where first-order Taylor fails from the what-if scenarios", () => {
    const r = clone(base);
    for (const s of r.whatif!.scenarios) for (const e of s.outputs) e.firstOrderError.meanAbs = 0;
    const o = r.whatif!.scenarios[0].outputs[0];
    o.meanExactChange = 2;
    o.firstOrderError.meanAbs = 0.5;
    o.secondOrderError.meanAbs = 0.02;
    const nl = findings(r).filter((x) => x.section === "whatif");
    expect(nl[0].tone).toBe("bad");
    expect(nl[0].text).toContain("misses 25");
    expect(nl[0].text).toContain("second order: 1");
    for (const s of r.whatif!.scenarios) for (const e of s.outputs) e.firstOrderError.meanAbs = 0;
    expect(findings(r).filter((x) => x.section === "whatif")).toMatchObject([{ tone: "ok" }]);
  });

  it("flags non-finite counts and non-converged Integrated Gradients", () => {
    expect(findings(base).find((x) => x.topic === "Health")?.tone).toBe("ok");
    const r = clone(base);
    r.meta.nonFinite = { inputRows: 2, inputValues: 3, outputValues: 0, derivativeValues: 4 };
    const ig = r.attribution!.integratedGradients!;
    ig.converged = false;
    ig.trustworthy[0][0] = false;
    ig.reason = "raise maxSteps";
    const f = findings(r);
    expect(f.find((x) => x.topic === "Non-finite")?.text).toBe(
      "NaN or ±∞ in 2 data row(s) (3 cell(s)), 4 derivative value(s); they are left out of every statistic.",
    );
    expect(f.find((x) => x.topic === "Integrated Gradients")).toMatchObject({
      tone: "bad",
      section: "attribution",
      text: "NOT converged: 1 attribution(s) are not trustworthy. raise maxSteps",
    });
  });

  it("escapes every name", () => {
    const html = findingsHtml(withNewSections(base));
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;/script&gt;");
  });
});
