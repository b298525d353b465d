import { describe, expect, it } from "vitest";
import { random } from "../src/index.js";
import { analyze, perSampleDerivatives, taylorWhatIf } from "../src/sensitivity/index.js";
import { quadraticModel } from "./helpers/sensitivityModels.js";

// Three quadratic outputs of two features: more outputs than features, so Jacobians use jacfwd.
const As = [
  [
    [2, 0.5],
    [0.5, -1],
  ],
  [
    [0, 3],
    [3, 0],
  ],
  [
    [1, 0],
    [0, 4],
  ],
];
const bs = [
  [1, -2],
  [0, 0.5],
  [-1, 1],
];
const f = quadraticModel(As, bs);
const N = 50;
const x = random.normal([N, 2], { seed: 8 });
const X = x.toArray() as number[][];
const quad = (A: number[][], u: number[], v: number[]) =>
  A.reduce((s, row, i) => s + u[i] * row.reduce((t, a, j) => t + a * v[j], 0), 0);

describe("quadratic model y_k = ½xᵀA_k x + b_kᵀx", () => {
  it("has gradients A_k x + b_k and Hessians A_k, computed in forward mode", () => {
    const r = perSampleDerivatives(f, { x }, { secondOrder: true });
    expect(r.outputs.components.map((c) => c.name)).toEqual(["output[0]", "output[1]", "output[2]"]);
    X.forEach((row, i) =>
      As.forEach((A, k) => {
        A.forEach((Arow, j) =>
          expect(r.perSample.gradients[i][k][j]).toBeCloseTo(quad([Arow], [1], row) + bs[k][j], 13),
        );
        expect(r.perSample.hessians![i][k]).toEqual(A);
      }),
    );
    const a = analyze(f, { x }, { attributionSamples: 0, verifySamples: 0, bootstrap: 0 });
    expect(a.meta.derivativeMode).toBe("forward");
  });

  it("is predicted exactly to second order; the first-order error is −½ΔᵀAΔ", () => {
    const delta = [0.3, -0.2];
    const r = taylorWhatIf(
      f,
      { x },
      [
        { name: "shift", shock: { x: { absolute: delta } } },
        { name: "scale +5%", shock: { x: { relative: 0.05 } } },
      ],
      { keepPerSample: true, batchSize: 16 },
    );
    const [shift, scale] = r.scenarios;
    As.forEach((A, k) => {
      const err = -0.5 * quad(A, delta, delta);
      const o = shift.outputs[k];
      expect(o.firstOrderError.mean).toBeCloseTo(err, 12);
      expect(o.firstOrderError.maxAbs).toBeCloseTo(Math.abs(err), 12);
      expect(o.secondOrderError.maxAbs!).toBeLessThan(1e-12);
      X.forEach((row, i) => {
        const d = row.map((v) => 0.05 * v);
        const ps = scale.perSample!;
        expect(ps.firstOrder[i][k]! - ps.exact[i][k]!).toBeCloseTo(-0.5 * quad(A, d, d), 12);
        expect(ps.secondOrder[i][k]).toBeCloseTo(ps.exact[i][k]!, 12);
      });
    });
    expect(shift.shock).toEqual({ x: { index: null, relative: null, absolute: delta } });
  });

  it("agrees with analyze's whatif section on chosen rows", () => {
    const a = analyze(
      f,
      { x },
      {
        attributionSamples: 0,
        verifySamples: 0,
        dgsm: false,
        keepPerSample: 2,
        whatif: [{ name: "x1 −1", shock: { x: { index: 1, absolute: -1 } } }],
        whatifSamples: [4, 9, 31],
      },
    );
    const w = a.whatif!;
    expect(w.rows).toBe(3);
    expect(w.scenarios[0].perSample!.rows).toEqual([4, 9]);
    const err = -0.5 * As[2][1][1];
    expect(w.scenarios[0].outputs[2].firstOrderError.mean).toBeCloseTo(err, 12);
    expect(w.scenarios[0].perSample!.baseline[1][0]).toBeCloseTo(
      0.5 * quad(As[0], X[9], X[9]) + bs[0][0] * X[9][0] + bs[0][1] * X[9][1],
      12,
    );
  });
});
