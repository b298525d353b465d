import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { array, random, type Tensor } from "../src/index.js";
import {
  analyze,
  GRADLENS_VERSION,
  perSampleDerivatives,
  summarize,
  type AnalyzeOptions,
  type Progress,
  type SensitivityResult,
} from "../src/sensitivity/index.js";
import { nonlinearPricingModel } from "./helpers/sensitivityModels.js";

const f = nonlinearPricingModel(4, 6, 5);
const N = 150;
const data = {
  price: random.uniform([N], { seed: 11, low: 20, high: 80 }),
  features: random.normal([N, 4], { seed: 12 }),
};
const options: AnalyzeOptions = {
  finance: { price: "price" },
  keepPerSample: 20,
  attributionSamples: 4,
  verifySamples: 3,
  bootstrap: 40,
  smoothGrad: { samples: 8 },
  expectedGradients: { samples: 16 },
  whatif: [
    { name: "price +1%", shock: { price: { relative: 0.01 } } },
    { name: "feature 3 −0.5", shock: { features: { index: 3, absolute: -0.5 } } },
  ],
};
const withoutMeta = ({ meta: _meta, ...rest }: SensitivityResult) => rest;

/** Every leaf is a finite number, string, boolean or null; containers are plain arrays/objects. */
function assertJsonSafe(x: unknown, path = "result"): void {
  if (x === null || typeof x === "string" || typeof x === "boolean") return;
  if (typeof x === "number") {
    if (!Number.isFinite(x) || Object.is(x, -0)) throw new Error(`${path} is ${x}`);
    return;
  }
  if (Array.isArray(x)) return x.forEach((v, i) => assertJsonSafe(v, `${path}[${i}]`));
  if (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.entries(x).forEach(([k, v]) => {
      if (v === undefined) throw new Error(`${path}.${k} is undefined`);
      assertJsonSafe(v, `${path}.${k}`);
    });
  throw new Error(`${path} is not JSON data (${Object.prototype.toString.call(x)})`);
}

describe("analyze", () => {
  const result = analyze(f, data, { ...options, batchSize: 1000 });

  it("fills every section of schema version 1", () => {
    expect(Object.keys(result)).toEqual([
      "schemaVersion",
      "inputs",
      "outputs",
      "perSample",
      "summary",
      "attribution",
      "dgsm",
      "verification",
      "whatif",
      "interactions",
      "effects",
      "sobol",
      "constraints",
      "meta",
    ]);
    expect(result.schemaVersion).toBe(1);
    expect(result.perSample!.rows).toHaveLength(20);
    expect(result.perSample!.hessians![0][0]).toHaveLength(5);
    expect(result.summary.quantileMethod).toBe("exact");
    expect(result.verification!.passed).toBe(true);
    expect(result.meta.n).toBe(N);
    expect(result.meta.secondOrder).toBe(true);
    expect(result.meta.options.bootstrap).toBe(40);
    expect(result.meta.timingsMs.total).toBeGreaterThan(0);
    expect(result.meta.gradlensVersion).toBe(GRADLENS_VERSION);
  });

  it("gives identical results for batch sizes 7 and 1000", () => {
    const small = analyze(f, data, { ...options, batchSize: 7 });
    expect(small.meta.batchSize).toBe(7);
    expect(withoutMeta(small)).toEqual(withoutMeta(result));
  });

  it("survives a JSON round trip unchanged and holds only JSON data", () => {
    assertJsonSafe(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("reports progress for every stage, ending at the total", () => {
    const seen: Progress[] = [];
    analyze(f, data, { ...options, batchSize: 32, onProgress: (p) => seen.push(p) });
    const stages = [...new Set(seen.map((p) => p.stage))];
    // The pass, then each section that is on marks its finish with its key (0 of 1, then 1 of 1);
    // attribution and verification report their samples under the same stage.
    const sections = ["perSample", "summary", "attribution", "dgsm", "verification", "whatif"];
    expect(stages).toEqual(["derivatives", ...sections]);
    for (const s of sections)
      expect(seen.filter((p) => p.stage === s && p.total === 1).map((p) => p.done)).toEqual([0, 1]);
    const reports = seen.filter((p) => p.stage === "derivatives");
    expect(reports.map((p) => p.done)).toEqual([32, 64, 96, 128, 150]);
    expect(reports.every((p) => p.total === N)).toBe(true);
    const subset: Progress[] = [];
    analyze(f, data, { ...options, batchSize: 32, whatifSamples: 40, onProgress: (p) => subset.push(p) });
    expect([...new Set(subset.map((p) => p.stage))]).toEqual(["derivatives", ...sections]);
    // Scenarios over every row ride along the derivative pass; a subset of rows has its own reports.
    expect(subset.filter((p) => p.stage === "whatif").map((p) => `${p.done}/${p.total}`)).toEqual([
      "0/1",
      "32/40",
      "40/40",
      "1/1",
    ]);
  });

  it("summarize() of the retained rows equals the streamed summary", () => {
    const all = analyze(f, data, { ...options, keepPerSample: true, whatif: [] });
    const again = summarize({ inputs: all.inputs, outputs: all.outputs, perSample: all.perSample! });
    expect(again).toEqual(all.summary);
    const direct = perSampleDerivatives(f, data, { finance: { price: "price" } });
    expect(summarize(direct)).toEqual(all.summary);
  });

  it("keeps exact moments and samples rows for quantiles beyond the memory budget", () => {
    const sampled = analyze(f, data, { ...options, quantileMaxValues: 250 });
    const s = sampled.summary;
    expect(s.quantileMethod).toBe("sample");
    expect(s.quantileRows).toBe(50); // 250 values / 5 features
    s.gradients.forEach((cell, i) => {
      const exact = result.summary.gradients[i].stats;
      expect(cell.stats.mean).toBe(exact.mean);
      expect(cell.stats.min).toBe(exact.min);
      expect(cell.stats.rms).toBe(exact.rms);
      // The median of 50 sampled rows lies within the exact 5–95% range.
      expect(cell.stats.quantiles[2]!).toBeGreaterThanOrEqual(exact.quantiles[0]!);
      expect(cell.stats.quantiles[2]!).toBeLessThanOrEqual(exact.quantiles[4]!);
    });
  });

  it("encodes non-finite values as null and counts them", () => {
    // y = log(x)·x: ∂y/∂x = log(x) + 1 is −∞… at x = 0 (NaN from 0·−∞ in the product rule).
    const g = ({ x }: Record<string, Tensor>) => x.log().mul(x);
    const r = analyze(
      g,
      { x: array([0, 1, Math.E, 2]) },
      { keepPerSample: true, attributionSamples: 0, verifySamples: 0, bootstrap: 10 },
    );
    assertJsonSafe(r);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.perSample!.values[0][0]).toBeNull();
    expect(r.perSample!.gradients[0][0][0]).toBeNull();
    expect(r.perSample!.gradients[2][0][0]).toBeCloseTo(2, 14);
    const st = r.summary.gradients[0].stats;
    expect(st.nonFinite).toBe(1);
    expect(st.count).toBe(3);
    expect(st.mean).toBeCloseTo((1 + 2 + Math.log(2) + 1) / 3, 14);
    expect(r.dgsm!.entries[0].nu).toBeNull();
    expect(r.dgsm!.entries[0].nuInterval).toBeNull();
  });

  it("records the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(GRADLENS_VERSION).toBe(pkg.version);
  });
});
