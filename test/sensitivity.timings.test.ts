import { describe, expect, it, vi } from "vitest";
import { random, type Tensor } from "../src/index.js";
import type { DerivativeBatch } from "../src/sensitivity/engine/pass.js";
import { analyze, type Progress } from "../src/sensitivity/index.js";
import { CrossedDerivativeAccumulator } from "../src/sensitivity/methods/interactions/crossed.js";

describe("analyze: each section's own time and progress stage", () => {
  const model = ({ a, b }: Record<string, Tensor>) => a.sin().add(b.square());
  const data = {
    a: random.uniform([200], { seed: 1, low: -2, high: 2 }),
    b: random.normal([200], { seed: 2 }),
  };

  it("times every section that is on, under its key, and marks its finish as a progress stage", () => {
    const seen: Progress[] = [];
    const r = analyze(model, data, {
      effects: { features: ["a"], grid: 5, iceRows: 3 },
      expect: { b: ["convex"] },
      onProgress: (p) => seen.push({ ...p }),
    });
    const s = r.meta.timingsMs.sections;
    const keys = [
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
    ] as const;
    expect(Object.keys(s)).toEqual(keys.filter((k) => r[k] !== null));
    expect(Object.keys(s)).toEqual(expect.arrayContaining(["summary", "effects", "constraints"]));
    for (const v of Object.values(s)) expect(v).toBeGreaterThanOrEqual(0);
    expect(s.interactions).toBeUndefined();
    expect(s.sobol).toBeUndefined();
    // Sections finish in result order, each with a start and end marker; effects reports its features.
    const marks = seen.filter((p) => p.stage !== "derivatives");
    const effects = marks.filter((p) => p.stage === "effects").map((p) => `${p.done}/${p.total}`);
    expect(effects).toEqual(["0/1", "1/1", "1/1"]);
    const order = [...new Set(marks.map((p) => p.stage))];
    expect(order.indexOf("effects")).toBeLessThan(order.indexOf("constraints"));
  });

  it("counts a section's work inside the pass as the section's, not the pass's (interactions' bootstrap)", () => {
    // A clock that moves only while the interactions consumer accumulates: 1 s per batch.
    let clock = 0;
    const add = CrossedDerivativeAccumulator.prototype.add;
    const nowSpy = vi.spyOn(globalThis.performance, "now").mockImplementation(() => clock);
    const addSpy = vi.spyOn(CrossedDerivativeAccumulator.prototype, "add").mockImplementation(function (
      this: CrossedDerivativeAccumulator,
      b: DerivativeBatch,
    ) {
      add.call(this, b);
      clock += 1000;
    });
    try {
      const r = analyze(model, data, {
        interactions: { integratedHessians: false },
        batchSize: 50,
        attributionSamples: 0,
        verifySamples: 0,
      });
      const t = r.meta.timingsMs;
      expect(addSpy).toHaveBeenCalledTimes(4); // 200 rows in batches of 50
      expect(t.sections.interactions).toBe(4000);
      expect(t.summary).toBe(4000); // its stage
      expect(t.derivatives).toBe(0);
      expect(t.total).toBe(4000);
    } finally {
      addSpy.mockRestore();
      nowSpy.mockRestore();
    }
  });
});
