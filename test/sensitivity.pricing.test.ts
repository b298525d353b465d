import { describe, expect, it } from "vitest";
import { array, random, ShapeError, stopGradient, ValueError, type Tensor } from "../src/index.js";
import {
  analyze,
  perSampleDerivatives,
  verifyDerivatives,
  type ModelLike,
} from "../src/sensitivity/index.js";
import { centralDifference, nonlinearPricingModel, pricingModel } from "./helpers/sensitivityModels.js";

const w = [0.1, -0.3, 0.7];
const N = 64;
const price = random.uniform([N], { seed: 1, low: 50, high: 150 });
const features = random.normal([N, 3], { seed: 2 });
const P = price.toArray() as number[];
const F = features.toArray() as number[][];

describe("pricing model y = (features·w + 1)·price", () => {
  const f = pricingModel(w);

  it("has delta = features·w + 1, ∂y/∂features_j = w_j·price, gamma = 0, crossGamma_j = w_j", () => {
    const r = perSampleDerivatives(f, { price, features }, { finance: { price: "price" } });
    expect(r.inputs.features.map((q) => q.name)).toEqual([
      "price",
      "features[0]",
      "features[1]",
      "features[2]",
    ]);
    expect(r.inputs.priceLike).toEqual(["price"]);
    expect(r.outputs.items[0].shape).toEqual([1]);
    const ps = r.perSample;
    for (let i = 0; i < N; i++) {
      const h = F[i].reduce((s, v, j) => s + v * w[j], 0);
      expect(ps.values[i][0]).toBeCloseTo((h + 1) * P[i], 11);
      expect(ps.gradients[i][0][0]).toBeCloseTo(h + 1, 13);
      w.forEach((wj, j) => expect(ps.gradients[i][0][1 + j]).toBeCloseTo(wj * P[i], 12));
      expect(ps.finance!.delta[i][0][0]).toBe(ps.gradients[i][0][0]);
      expect(ps.finance!.gamma[i][0][0]).toBe(0);
      expect(ps.finance!.crossGamma[i][0][0]).toEqual([
        0,
        ...w.map((wj) => expect.closeTo(wj, 14) as number),
      ]);
      // The Hessian is symmetric with the cross block in row and column 0.
      const H = ps.hessians![i][0];
      for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) expect(H[a][c]).toBeCloseTo(H[c][a]!, 14);
      expect(H[2][3]).toBe(0);
    }
  });

  it("summarises the Greeks and names features as the user asks", () => {
    const r = analyze(
      f,
      { price, features },
      {
        finance: { price: "price" },
        featureNames: { features: ["age", "income", "tenure"] },
        attributionSamples: 0,
        bootstrap: 0,
        verifySamples: 4,
      },
    );
    expect(r.inputs.features.map((q) => q.name)).toEqual(["price", "age", "income", "tenure"]);
    const fin = r.summary.finance!;
    expect(fin.priceFeatures).toEqual(["price"]);
    const deltas = F.map((row) => row.reduce((s, v, j) => s + v * w[j], 1));
    expect(fin.delta[0].stats.mean).toBeCloseTo(deltas.reduce((a, v) => a + v, 0) / N, 13);
    expect(fin.gamma[0].stats.max).toBe(0);
    expect(fin.crossGamma.map((c) => [c.feature, c.stats.mean])).toEqual([
      ["price", 0],
      ["age", expect.closeTo(w[0], 14)],
      ["income", expect.closeTo(w[1], 14)],
      ["tenure", expect.closeTo(w[2], 14)],
    ]);
    expect(r.summary.hessian![0].mean[0][1]).toBeCloseTo(w[0], 14);
    expect(r.verification!.passed).toBe(true);
    expect(r.verification!.hessians!.passed).toBe(true);
    // ε_price = delta·price / y = 1 exactly, since y is proportional to price.
    expect(r.summary.elasticities!.entries[0].stats.mean).toBeCloseTo(1, 13);
  });

  it("accepts price as [N, 1], a list output, and a model object", () => {
    const model: ModelLike = {
      inputNames: ["features", "price"],
      outputNames: ["revenue"],
      call: ({ price: p, features: x }: Record<string, Tensor>) => [
        f({ price: p.reshape([-1]), features: x }),
      ],
    };
    const r = perSampleDerivatives(model, { price: price.reshape([N, 1]), features });
    expect(r.inputs.names).toEqual(["features", "price"]);
    expect(r.inputs.features.map((q) => q.name)).toEqual([
      "features[0]",
      "features[1]",
      "features[2]",
      "price",
    ]);
    expect(r.outputs.components[0].name).toBe("revenue");
    expect(r.perSample.gradients[5][0][3]).toBeCloseTo(
      F[5].reduce((s, v, j) => s + v * w[j], 1),
      13,
    );
  });

  it("calls a positional (subclassed) model with a list in inputNames order", () => {
    // Like a subclassed gradlens Model: call([prices, features]), isFunctional false.
    const calls: string[] = [];
    const model: ModelLike = {
      inputNames: ["price", "features"],
      isFunctional: false,
      call: (inputs: readonly Tensor[]) => {
        calls.push(inputs.map((t) => `[${t.shape}]`).join(" "));
        const [p, x] = inputs;
        return f({ price: p, features: x });
      },
    };
    const r = perSampleDerivatives(model, { price, features });
    expect(calls[0]).toBe("[8] [8,3]");
    expect(r.perSample.gradients[3][0][1]).toBeCloseTo(w[0] * P[3], 12);
    const one: ModelLike = {
      inputNames: ["features"],
      isFunctional: false,
      call: (x: Tensor) => x.sum({ axis: 1 }),
    };
    expect(perSampleDerivatives(one, { features }).perSample.gradients[0]).toEqual([[1, 1, 1]]);
  });

  it("catches the (N,1)·(N,) broadcast trap, scalar outputs and mixed samples", () => {
    const W = array(w.map((v) => [v]));
    const trap = ({ price: p, features: x }: Record<string, Tensor>) => x.matmul(W).add(1).mul(p);
    expect(() => analyze(trap, { price, features })).toThrow(ShapeError);
    expect(() => analyze(trap, { price, features })).toThrow(
      /mixes samples.*\(N,1\) tensor times an \(N,\) tensor/,
    );
    const reduced = ({ price: p }: Record<string, Tensor>) => p.sum();
    expect(() => analyze(reduced, { price })).toThrow(/is a scalar.*one row per sample/);
    const demeaned = ({ price: p }: Record<string, Tensor>) => p.sub(p.mean());
    expect(() => analyze(demeaned, { price })).toThrow(/not row-independent/);
    const firstRows = ({ price: p }: Record<string, Tensor>) => p.slice([[0, 2]]);
    expect(() => analyze(firstRows, { price })).toThrow(/shape \[2\] for a batch of 8 samples/);
  });

  it("names the input at fault for bad data and options", () => {
    expect(() => analyze(f, { price, features: features.slice([[0, 10]]) })).toThrow(
      /different numbers of samples: price has 64, features has 10/,
    );
    expect(() => analyze(f, { price, features }, { featureNames: { features: ["a"] } })).toThrow(
      /featureNames.features has 1 names, but input 'features' has 3 features/,
    );
    expect(() => analyze(f, { price, features }, { finance: { price: "prices" } })).toThrow(ValueError);
    const model: ModelLike = { inputNames: ["price", "features"], call: f };
    expect(() => analyze(model, { price })).toThrow(/data has no 'features'/);
    expect(() => analyze(model, { price, features, extra: [1] })).toThrow(
      /'extra' which the target does not take/,
    );
    expect(() =>
      analyze(
        f,
        { price, features },
        { whatif: [{ name: "bad", shock: { features: { index: 3, absolute: 1 } } }] },
      ),
    ).toThrow(/scenario 'bad', input 'features': index 3 is out of range/);
    // Option mistakes are reported before the (possibly long) pass over the data.
    const seen: string[] = [];
    const onProgress = (p: { stage: string }) => seen.push(p.stage);
    expect(() =>
      analyze(f, { price, features }, { onProgress, integratedGradients: { method: "simpson" as never } }),
    ).toThrow(/unknown method 'simpson'/);
    expect(() => analyze(f, { price, features }, { onProgress, smoothGrad: { samples: 0 } })).toThrow(
      /samples must be/,
    );
    expect(() => analyze(f, { price, features }, { onProgress, verifySamples: [64] })).toThrow(
      /verifySamples: row 64/,
    );
    expect(seen).toEqual([]);
  });
});

describe("nonlinear pricing model y = (tanh(features·W1)·w2 + 1)·price", () => {
  const f = nonlinearPricingModel(3, 5);
  const row = (i: number) => [P[i], ...F[i]];
  const y = (z: number[]) => f({ price: array([z[0]]), features: array([z.slice(1)]) }).item();

  it("has first and second derivatives that agree with central finite differences", () => {
    const r = perSampleDerivatives(f, { price, features }, { secondOrder: true });
    for (const i of [0, 17, 63]) {
      for (let j = 0; j < 4; j++) {
        const fd = centralDifference(y, row(i), j, 1e-4 * Math.max(1, Math.abs(row(i)[j])));
        expect(r.perSample.gradients[i][0][j]).toBeCloseTo(fd, 6);
        for (let m = 0; m < 4; m++) {
          const gm = (z: number[]) => centralDifference(y, z, m, 1e-4 * Math.max(1, Math.abs(z[m])));
          const fd2 = centralDifference(gm, row(i), j, 1e-3 * Math.max(1, Math.abs(row(i)[j])));
          expect(r.perSample.hessians![i][0][m][j]).toBeCloseTo(fd2, 3);
        }
      }
      // y is linear in price: gamma = 0, and crossGamma_j = ∂delta/∂features_j.
      expect(Math.abs(r.perSample.hessians![i][0][0][0]!)).toBeLessThan(1e-13);
    }
    const v = verifyDerivatives(f, { price, features }, { rows: 10, secondOrder: true });
    expect(v.passed).toBe(true);
    expect(v.gradients.perInput.map((e) => e.input)).toEqual(["price", "features"]);
    expect(v.gradients.perFeature.every((e) => e.maxRelError! < 1e-7)).toBe(true);
  });

  it("flags a wrong derivative in verification", () => {
    // stopGradient makes autodiff see d(x·x)/dx = x instead of 2x; finite differences see 2x.
    const wrong = ({ price: p, features: x }: Record<string, Tensor>) =>
      f({ price: p, features: x }).add(x.slice([null, [0, 1]]).mul(stopGradient(x.slice([null, [0, 1]]))));
    const v = verifyDerivatives(wrong, { price, features }, { rows: 5 });
    expect(v.passed).toBe(false);
    expect(v.gradients.perFeature.map((e) => e.passed)).toEqual([true, false, true, true]);
    expect(v.gradients.perInput.map((e) => [e.input, e.passed])).toEqual([
      ["price", true],
      ["features", false],
    ]);
    expect(v.gradients.perFeature[1].maxRelError!).toBeGreaterThan(1e-3);
  });
});
