/**
 * Integrated Hessians in `analyze` check their completeness against the attribution section's
 * Integrated Gradients instead of integrating the same paths again — only when that IG is exactly
 * the one they would compute (same rows, baseline and quadrature), and their own otherwise.
 */
import { describe, expect, it } from "vitest";
import { random, type Tensor } from "../src/index.js";
import { createContext } from "../src/sensitivity/engine/context.js";
import { featureMoments } from "../src/sensitivity/engine/features.js";
import { derivativePass } from "../src/sensitivity/engine/pass.js";
import { analyze, type AnalyzeOptions, type Progress } from "../src/sensitivity/index.js";
import type { AnalysisSetup, Finished } from "../src/sensitivity/section.js";
import { interactionsSection } from "../src/sensitivity/sections/interactions/section.js";

type Inputs = Record<string, Tensor>;
const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);
const f = ({ x }: Inputs) => col(x, 0).mul(col(x, 1)).tanh().add(col(x, 2).sin());
const x = random.uniform([60, 3], { seed: 5, low: -1, high: 1 });
const S = 3;
const opts: AnalyzeOptions = { interactions: true, attributionSamples: S, bootstrap: 0, verifySamples: 0 };

/** Progress of the "attribution" stage while the interactions section finishes. */
function igProgressInsideInteractions(o: AnalyzeOptions) {
  const seen: Progress[] = [];
  const r = analyze(f, { x }, { ...o, onProgress: (p) => seen.push({ ...p }) });
  const start = seen.findIndex((p) => p.stage === "interactions" && p.done === 0);
  const end = seen.findIndex((p) => p.stage === "interactions" && p.done === 1);
  const inside = seen.slice(start + 1, end).filter((p) => p.stage === "attribution");
  return { r, inside: inside.map((p) => `${p.done}/${p.total}`) };
}

describe("analyze: Integrated Hessians share the attribution section's Integrated Gradients", () => {
  it("integrates IG's paths once, with the same result as computing them again", () => {
    const shared = igProgressInsideInteractions(opts);
    // Only Integrated Hessians' own per-row progress: no IG run inside the section.
    expect(shared.inside).toEqual(["1/3", "2/3", "3/3"]);
    // With IG off in the attribution section, IH integrates IG itself (same default options).
    const own = igProgressInsideInteractions({ ...opts, integratedGradients: false });
    expect(own.inside.length).toBeGreaterThan(S);
    expect(own.r.attribution!.integratedGradients).toBeNull();
    const ih = shared.r.interactions!.integratedHessians!;
    expect(ih).toEqual(own.r.interactions!.integratedHessians);
    expect(ih.converged).toBe(true);
    expect(ih.integratedGradients).toEqual(shared.r.attribution!.integratedGradients!.attributions);
    // A copy, not the attribution section's arrays.
    expect(ih.integratedGradients).not.toBe(shared.r.attribution!.integratedGradients!.attributions);
  });

  it("shares with non-default IG options too (same options on both sides)", () => {
    const o: AnalyzeOptions = {
      ...opts,
      integratedGradients: { baseline: "zeros", steps: 4, method: "gauss-legendre" },
    };
    const a = igProgressInsideInteractions(o);
    expect(a.inside).toEqual(["1/3", "2/3", "3/3"]);
    expect(a.r.interactions!.integratedHessians!.baseline.kind).toBe("zeros");
    expect(a.r.interactions!.integratedHessians!.integratedGradients).toEqual(
      a.r.attribution!.integratedGradients!.attributions,
    );
  });

  describe("reuses only an IG that matches (the section's guard)", () => {
    /** The interactions section finished by hand, given what finished before it. */
    function finishWith(done: Finished) {
      const ctx = createContext(f, { x }, opts);
      const setup: AnalysisSetup = {
        ctx,
        opts,
        seed: 0,
        secondOrder: true,
        moments: featureMoments(ctx.prep),
        keep: 0,
        elasticity: null,
        priceFeatures: null,
      };
      const resolved = interactionsSection.resolve(setup)!;
      const acc = interactionsSection.consumer!(setup, resolved)!;
      derivativePass(ctx, true, [acc]);
      return interactionsSection.finish(setup, resolved, acc, done).integratedHessians!;
    }
    const real = analyze(f, { x }, opts).attribution!;
    const realIg = real.integratedGradients!.attributions;
    // A marked IG (every attribution doubled): it shows up in the result only if it was reused.
    const marked = (change: (a: typeof real) => void = () => {}) => {
      const a = structuredClone(real);
      a.integratedGradients!.attributions = a.integratedGradients!.attributions.map((s) =>
        s.map((k) => k.map((v) => (v === null ? null : 2 * v))),
      );
      change(a);
      return a;
    };

    it("a matching IG is read, not recomputed", () => {
      expect(finishWith({ attribution: marked() }).integratedGradients).toEqual(
        marked().integratedGradients!.attributions,
      );
      expect(finishWith({}).integratedGradients).toEqual(realIg);
    });

    it("other rows, another baseline or another quadrature: computes its own", () => {
      const cases: ((a: typeof real) => void)[] = [
        (a) => (a.rows = [...a.rows].reverse()),
        (a) => (a.integratedGradients!.baseline.features[1] = 0.25),
        (a) => (a.integratedGradients!.steps = 16),
        (a) => (a.integratedGradients!.method = "trapezoid"),
        (a) => (a.integratedGradients!.adaptive = false),
      ];
      for (const change of cases)
        expect(finishWith({ attribution: marked(change) }).integratedGradients).toEqual(realIg);
    });
  });
});
