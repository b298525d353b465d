import * as vega from "vega";
import { compile } from "vega-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNpy } from "../src/io/containers/npy.js";
import { prettyJson, renderHtmlReport, REPORT_SECTIONS, tableHtml } from "../src/report/html.js";
import { escapeHtml, inlineScript, jsonForScript } from "../src/report/escape.js";
import { fmtMs, fmtNum, fmtPct } from "../src/report/format.js";
import { attributionData, attributionSpec } from "../src/report/specs/attribution.js";
import type { TopLevelSpec } from "../src/report/specs/common.js";
import { dgsmData, dgsmSpec } from "../src/report/specs/dgsm.js";
import { heatmapData, jacobianHeatmapSpec } from "../src/report/specs/heatmap.js";
import { rankingData, rankingSpec } from "../src/report/specs/ranking.js";
import { scatterData, scatterSpec } from "../src/report/specs/scatter.js";
import {
  financeTable,
  integratedGradientsTable,
  rankingTable,
  verificationTable,
  whatifTable,
} from "../src/report/tables.js";
import { formatAnalysis, renderTable } from "../src/report/terminal.js";
import { loadVegaScripts, type VegaScripts } from "../src/report/vega.js";
import { frameToCsv, frameToJson, frameToNpy, formatFromPath } from "../src/report/writers.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { FEATURE_NAMES, fixtureResult, HOSTILE } from "./report.fixture.js";

let r: SensitivityResult;
let scripts: VegaScripts;
beforeAll(async () => {
  r = fixtureResult();
  scripts = await loadVegaScripts();
});

/** Compiles a Vega-Lite spec and renders it headless to SVG, collecting every warning. */
async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => (warnings.push(a.join(" ")), logger),
    error: (...a: unknown[]) => (warnings.push(`error: ${a.join(" ")}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  const vg = compile(spec as unknown as Parameters<typeof compile>[0], { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: "none", logger: logger as never });
  const svg = await view.toSVG();
  view.finalize();
  return { svg, warnings };
}

describe("number formatting", () => {
  it("uses significant digits, exponents at the extremes and a dash for missing values", () => {
    expect(fmtNum(1234.5678)).toBe("1235");
    expect(fmtNum(0.012345)).toBe("0.01235");
    expect(fmtNum(1.5)).toBe("1.5");
    expect(fmtNum(-2)).toBe("-2");
    expect(fmtNum(0.000012345)).toBe("1.234e-5");
    expect(fmtNum(1e-12)).toBe("1e-12");
    expect(fmtNum(123456789)).toBe("1.235e+8");
    expect(fmtNum(0)).toBe("0");
    expect(fmtNum(null)).toBe("—");
    expect(fmtNum(NaN)).toBe("—");
    expect(fmtNum(999999.9)).toBe("1000000");
    expect(fmtPct(0.4567)).toBe("45.7%");
    expect(fmtMs(1234)).toBe("1.2 s");
    expect(fmtMs(125_000)).toBe("2 min 5 s");
  });
});

describe("terminal tables", () => {
  it("aligns columns: every line of a table has its cells at the same offsets", () => {
    const t = rankingTable(r, 0);
    const lines = renderTable(t)
      .split("\n")
      .slice(1, 2 + t.rows.length + 1);
    const rule = lines[1];
    expect(rule).toMatch(/^─+( +─+)+$/);
    // Right-aligned numeric columns end where the rule's dashes end.
    const ends = [...rule.matchAll(/─+/g)].map((m) => m.index! + m[0].length);
    for (const line of lines.slice(2)) {
      const chars = [...line];
      for (let c = 2; c < ends.length; c++) expect(chars[ends[c] - 1]).not.toBe(" ");
    }
  });

  it("ranks features by σ·mean |∂y/∂x| with the result's statistics", () => {
    const t = rankingTable(r, 0);
    const ranking = r.summary.ranking[0].byScaled;
    expect(t.rows.map((row) => row[1])).toEqual(ranking.map((f) => f.feature));
    const first = r.summary.gradients.find(
      (g) => g.outputIndex === 0 && g.featureIndex === ranking[0].featureIndex,
    )!;
    expect(t.rows[0][2]).toBe(fmtNum(ranking[0].value));
    expect(t.rows[0][3]).toBe(fmtNum(first.stats.meanAbs));
    expect(t.rows[0][4]).toBe(fmtNum(first.stats.rms));
    expect(rankingTable(r, 0, 2).rows).toHaveLength(2);
  });

  it("shows delta and gamma of the price input", () => {
    const t = financeTable(r)!;
    expect(t.rows).toHaveLength(2); // two outputs × one price
    expect(t.rows[0][1]).toBe("price");
    expect(t.rows[0][2]).toBe(fmtNum(r.summary.finance!.delta[0].stats.mean));
    // Both outputs are linear in price: gamma is exactly 0.
    expect(t.rows.map((row) => row[6])).toEqual(["0", "0"]);
  });

  it("marks failed verification rows and says FAILED", () => {
    const ok = verificationTable(r.verification!);
    expect(ok.title).toMatch(/passed/);
    expect(ok.failedRows).toEqual([]);
    // One row per feature, gradient and Hessian errors side by side (the fixture has Hessians).
    expect(ok.rows.map((row) => row[0])).toEqual(r.inputs.features.map((f) => f.name));
    expect(ok.headers).toHaveLength(8);
    const g = r.verification!.gradients.perFeature[1];
    expect(ok.rows[1].slice(2, 5)).toEqual([
      fmtNum(g.maxStep, 3),
      fmtNum(g.maxAbsError, 3),
      fmtNum(g.maxRelError, 3),
    ]);
    const bad = structuredClone(r.verification!);
    bad.passed = false;
    bad.gradients.perFeature[2].passed = false;
    bad.hessians!.perFeature[4].passed = false;
    const t = verificationTable(bad);
    expect(t.title).toMatch(/FAILED/);
    expect(t.failedRows).toEqual([2, 4]);
    expect(t.rows.map((row) => row[7])).toEqual(["ok", "ok", "FAIL", "ok", "FAIL"]);
    expect(verificationTable({ ...bad, hessians: null }).headers).toHaveLength(6);
  });

  it("lists every scenario per output in the what-if table", () => {
    const t = whatifTable(r.whatif!);
    expect(t.rows).toHaveLength(4);
    expect(t.rows[0].slice(0, 2)).toEqual(["price +1%", "value"]);
    const o = r.whatif!.scenarios[0].outputs[0];
    expect(t.rows[0][3]).toBe(fmtNum(o.meanExactChange));
  });

  it("reports Integrated Gradients completeness per sample", () => {
    const t = integratedGradientsTable(r)!;
    expect(t.rows.map((row) => Number(row[0]))).toEqual(r.attribution!.rows);
    expect(t.notes[0]).toMatch(/converged/);
  });

  it("puts it together: ranking per output, Greeks, IG, verification, what-if, timings", () => {
    const text = formatAnalysis(r);
    for (const s of [
      "ranked by σ·mean |∂y/∂x|",
      "Greeks",
      "Integrated Gradients",
      "Finite-difference check",
      "What-if",
    ])
      expect(text).toContain(s);
    expect(text.match(/Sensitivities of/g)).toHaveLength(2);
  });
});

describe("Vega-Lite specs", () => {
  it("ranking: two bars per (output, feature) with σ·mean |∂y/∂x| and σ·RMS, faceted by output", async () => {
    const data = rankingData(r);
    expect(data).toHaveLength(2 * 2 * 5);
    for (const d of data) {
      const k = r.outputs.components.findIndex((c) => c.name === d.output);
      const j = r.inputs.features.findIndex((f) => f.name === d.feature);
      const s = r.summary.gradients.find((g) => g.outputIndex === k && g.featureIndex === j)!.stats;
      const scaled = r.summary.ranking[k].byScaled.find((f) => f.featureIndex === j)!.value!;
      const sigma = scaled / s.meanAbs!;
      if (d.measure === "σ·mean |∂y/∂x|") expect(d.value).toBe(scaled);
      else expect(d.value).toBeCloseTo(sigma * s.rms!, 12);
    }
    const spec = rankingSpec(r) as { facet?: unknown };
    expect(spec.facet).toBeDefined();
    const { svg, warnings } = await renderSvg(rankingSpec(r));
    expect(warnings).toEqual([]);
    expect(svg).toContain(escapeHtml(HOSTILE.feature2));
    expect(svg).not.toContain(HOSTILE.feature2);
  });

  it("scatter: points are the retained rows' feature values and derivatives of the top features", async () => {
    const data = scatterData(r, { top: 3 });
    const top = r.summary.ranking[0].byScaled.slice(0, 3).map((f) => f.feature);
    expect([...new Set(data.map((d) => d.feature))]).toEqual(top);
    expect(data).toHaveLength(3 * r.perSample!.rows.length);
    const j = r.inputs.features.findIndex((f) => f.name === top[0]);
    expect(data[5].x).toBeCloseTo(r.perSample!.features[5][j]!, 5);
    expect(data[5].dydx).toBeCloseTo(r.perSample!.gradients[5][0][j]!, 4);
    expect(scatterData(r, { top: 1, maxPoints: 30 })).toHaveLength(30);
    expect(scatterData({ ...r, perSample: null })).toEqual([]);
    expect((await renderSvg(scatterSpec(r))).warnings).toEqual([]);
  });

  it("heatmap: each feature's column is scaled to max |value| = 1, raw values kept for tooltips", async () => {
    const data = heatmapData(r, { rows: 20 });
    expect(data).toHaveLength(20 * 5);
    for (const f of r.inputs.features) {
      const col = data.filter((d) => d.feature === f.name);
      expect(Math.max(...col.map((d) => Math.abs(d.scaled)))).toBeCloseTo(1, 5);
      for (const d of col) expect(Math.sign(d.scaled)).toBe(Math.sign(d.value));
    }
    expect((await renderSvg(jacobianHeatmapSpec(r))).warnings).toEqual([]);
  });

  it("attribution: IG bars per explained sample, labelled with the completeness delta", async () => {
    const data = attributionData(r);
    const ig = r.attribution!.integratedGradients!;
    expect(new Set(data.map((d) => d.sample)).size).toBe(4);
    expect(data[0].sample).toMatch(new RegExp(`^row ${r.attribution!.rows[0]} · δ = `));
    const j = r.inputs.features.findIndex((f) => f.name === data[0].feature);
    expect(data[0].attribution).toBe(ig.attributions[0][0][j]);
    expect((await renderSvg(attributionSpec(r))).warnings).toEqual([]);
  });

  it("dgsm: bounds largest first with bootstrap intervals; a log axis when they span > 3 decades", async () => {
    const data = dgsmData(r);
    expect(data.map((d) => d.bound)).toEqual([...data.map((d) => d.bound)].sort((a, b) => b - a));
    for (const d of data) {
      expect(d.low!).toBeLessThanOrEqual(d.bound * 1.5);
      expect(d.high!).toBeGreaterThanOrEqual(d.low!);
    }
    const linear = JSON.stringify(dgsmSpec(r));
    const wide = structuredClone(r);
    wide.dgsm!.entries[0].sobolTotalUpperBound = 1e-7;
    const log = JSON.stringify(dgsmSpec(wide));
    expect(log).toContain('"type":"log"');
    expect(linear.includes('"type":"log"')).toBe(data[0].bound / data[data.length - 1].bound > 1000);
    expect((await renderSvg(dgsmSpec(r))).warnings).toEqual([]);
    expect((await renderSvg(dgsmSpec(wide))).warnings).toEqual([]);
    const noBoot = structuredClone(r);
    noBoot.dgsm!.bootstrap = null;
    noBoot.dgsm!.entries.forEach((e) => ((e.boundInterval = null), (e.nuInterval = null)));
    expect((await renderSvg(dgsmSpec(noBoot))).warnings).toEqual([]);
  });
});

describe("escaping", () => {
  it("escapes markup characters in text", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("writes JSON for <script> that round-trips and contains no '<', '>' or line separators", () => {
    const values = [
      { s: "</script><script>alert(1)</script>", t: "<!-- -->", u: "a\u2028b\u2029c", n: [1.5, null, -0] },
      HOSTILE,
      ["&", ">", "\\u003c"],
    ];
    for (const v of values) {
      const text = jsonForScript(v);
      expect(text).not.toMatch(/[<>\u2028\u2029]/);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
    }
  });

  it("neutralises </script and <!-- in inlined library code", () => {
    expect(inlineScript('a="</script>";b="</SCRIPT";c="<!--"')).toBe(
      'a="<\\/script>";b="<\\/SCRIPT";c="<\\!--"',
    );
    for (const code of [scripts.vega, scripts.vegaLite, scripts.vegaEmbed]) {
      expect(code.length).toBeGreaterThan(50_000);
      expect(inlineScript(code)).not.toMatch(/<\/script|<!--/i);
    }
  });
});

describe("HTML report", () => {
  let html: string;
  beforeAll(() => {
    html = renderHtmlReport(r, {
      scripts,
      title: `model <i>${HOSTILE.output}</i>`,
      modelSummary: `Model: "${HOSTILE.feature2}"`,
      sources: { data: "x<y>.csv" },
      command: `gradlens analyze '${HOSTILE.feature1}'`,
      generatedAt: "2024-01-01T00:00:00Z",
    });
  });

  it("has every section in order, and a chart element with a spec for each chart", () => {
    const ids = [...html.matchAll(/<section id="([a-z]+)">/g)].map((m) => m[1]);
    // The row explorer is there when the result keeps per-row numbers (this one does).
    expect(ids).toEqual([...REPORT_SECTIONS.filter((id) => id !== "options"), "explorer", "options"]);
    const charts = [...html.matchAll(/data-spec="([a-z]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(["ranking", "scatter", "heatmap", "attribution", "dgsm"]);
    for (const c of charts) expect(html).toContain(`<script type="application/json" id="spec-${c}">`);
  });

  it("embeds specs and the result as JSON that parses back", () => {
    const spec = /<script type="application\/json" id="spec-ranking">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(spec)).toEqual(JSON.parse(JSON.stringify(rankingSpec(r))));
    const embedded = JSON.parse(
      /<script type="application\/json" id="gradlens-result">(.*?)<\/script>/s.exec(html)![1],
    );
    expect(embedded.result.summary).toEqual(r.summary);
    // The first 100 kept rows, and the explained rows among the kept ones.
    const explained = r.attribution!.rows;
    expect(embedded.result.perSample.rows).toEqual(
      r.perSample!.rows.filter((row, i) => i < 100 || explained.includes(row)),
    );
    expect(embedded.result.perSample.hessians).toBeNull();
  });

  it("embeds an explained row's kept values beyond the first 100, for the row explorer", () => {
    const at = r.attribution!;
    const row = r.perSample!.rows[110];
    const moved = { ...r, attribution: { ...at, rows: [row, ...at.rows.slice(1)] } };
    const page = renderHtmlReport(moved, { scripts, generatedAt: "t" });
    const embedded = JSON.parse(
      /<script type="application\/json" id="gradlens-result">(.*?)<\/script>/s.exec(page)![1],
    );
    const rows: number[] = embedded.result.perSample.rows;
    expect(rows.slice(0, 100)).toEqual(r.perSample!.rows.slice(0, 100));
    expect(rows).toContain(row);
    expect(embedded.result.perSample.gradients[rows.indexOf(row)]).toEqual(r.perSample!.gradients[110]);
    expect(page).toContain(`data-row="${row}"`);
  });

  it("lets no name inject markup: hostile strings appear only escaped", () => {
    for (const bad of [HOSTILE.feature1, HOSTILE.feature2, HOSTILE.output, "<i>"])
      expect(html).not.toContain(bad);
    expect(html).toContain(escapeHtml(HOSTILE.feature2));
    expect(html).toContain("x&lt;y&gt;.csv");
    // Only our own script elements: 6 specs (ranking has a log variant) + the result + 3 libraries + the boot script.
    expect(html.match(/<script\b/g)).toHaveLength(11);
    expect(html.match(/<\/script>/g)).toHaveLength(11);
  });

  it("is self-contained: no external scripts, styles, images or fetches; a CSP forbids them", () => {
    // The markup outside script bodies, and the script tags themselves: nothing is loaded by URL.
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, "$1</script>");
    expect(markup.length).toBeLessThan(200_000);
    expect(/<(script|img|link|iframe|object|embed)\b[^>]*\b(src|href|data)=/i.test(markup)).toBe(false);
    expect(/https?:/.test(markup)).toBe(false);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(html).toContain(scripts.vega.slice(0, 200));
  });

  it("says what is missing when a section was not computed", () => {
    const bare = renderHtmlReport(
      { ...r, perSample: null, whatif: null, verification: null, attribution: null, dgsm: null },
      { scripts },
    );
    expect([...bare.matchAll(/data-spec="([a-z]+)"/g)].map((m) => m[1])).toEqual(["ranking"]);
    for (const text of ["no per-sample rows", "Not computed", "Not run", "No scenarios"])
      expect(bare).toContain(text);
    expect([...bare.matchAll(/<section id="([a-z]+)">/g)].map((m) => m[1])).toEqual([...REPORT_SECTIONS]);
  });

  it("renders tables with escaped cells, failure rows and optional header", () => {
    const t = {
      title: "T<1>",
      headers: ["a", "b"],
      align: ["l", "r"] as ("l" | "r")[],
      rows: [
        ["<x>", "1"],
        ["y", "2"],
      ],
      notes: ["n&"],
      failedRows: [1],
    };
    const h = tableHtml(t);
    expect(h).toContain(
      '<h3>T&lt;1&gt; <button type="button" class="dl dl-csv" data-file="t-1.csv">CSV</button></h3>',
    );
    expect(h).toContain("<td>&lt;x&gt;</td>");
    expect(h).toContain('<tr class="fail"><td>y</td><td class="r">2</td></tr>');
    expect(tableHtml(t, { header: false })).not.toContain("<thead>");
  });

  it("pretty-prints options with short arrays on one line", () => {
    expect(prettyJson({ a: [1, 2], b: { c: ["x"] } })).toBe(
      '{\n  "a": [1, 2],\n  "b": {\n    "c": ["x"]\n  }\n}',
    );
    expect(JSON.parse(prettyJson(r.meta.options))).toEqual(r.meta.options);
  });
});

describe("frame writers", () => {
  const frame = {
    names: ["a", "b,c"],
    columns: [new Float64Array([1.5, NaN, -Infinity]), new Float64Array([0.1 + 0.2, 2, 3])],
  };

  it("CSV: quoted names, shortest round-trip numbers, nan/inf", () => {
    expect(frameToCsv(frame)).toBe('a,"b,c"\n1.5,0.30000000000000004\nnan,2\n-inf,3\n');
  });

  it("JSON: named arrays with null for non-finite", () => {
    expect(JSON.parse(frameToJson(frame))).toEqual({
      a: [1.5, null, null],
      "b,c": [0.30000000000000004, 2, 3],
    });
  });

  it("NPY: one float64 [rows, columns] array that parseNpy reads back", () => {
    const a = parseNpy(frameToNpy(frame));
    expect(a.shape).toEqual([3, 2]);
    expect(a.descr).toBe("<f8");
    expect(Array.from(a.data)).toEqual([1.5, 0.30000000000000004, NaN, 2, -Infinity, 3]);
  });

  it("chooses the format by extension and refuses unknown ones", () => {
    expect(formatFromPath("x/y.NPY")).toBe("npy");
    expect(formatFromPath("p.tsv")).toBe("csv");
    expect(() => formatFromPath("out.xlsx")).toThrow(/out\.xlsx.*\.csv, \.json or \.npy/);
    expect(() => frameToCsv({ names: ["a"], columns: [new Float64Array(2), new Float64Array(2)] })).toThrow(
      /1 names but 2 columns/,
    );
  });
});

describe("fixture sanity", () => {
  it("uses the hostile names as features and outputs", () => {
    expect(r.inputs.features.map((f) => f.name)).toEqual(["price", ...FEATURE_NAMES]);
    expect(r.outputs.components.map((c) => c.name)).toEqual(["value", HOSTILE.output]);
  });
});
