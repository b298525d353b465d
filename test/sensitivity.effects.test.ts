import { describe, expect, it } from "vitest";
import { array, random, type Tensor } from "../src/index.js";
import { analyze, effects } from "../src/sensitivity/index.js";
import { accumulate, binOf, quantileGrid } from "../src/sensitivity/methods/effects/grid.js";
import { linearModel, mlp } from "./helpers/sensitivityModels.js";

const num = (xs: (number | null)[]) => xs.map((x) => x as number);

/**
 * The derivative-based ALE from the rows' values x and derivatives g, two-pass: in each bin a
 * least-squares line g ≈ α + β·x through its rows (β = 0 when they share one x), integrated over
 * the bin (width × line at the midpoint), accumulated from 0 and centred with bin-count weights.
 */
function lineFitAle(xs: number[], gs: number[], grid: number[]): number[] {
  const members = grid.map(() => [] as number[]);
  xs.forEach((v, i) => members[binOf(grid, v)]?.push(i));
  const f = [0];
  for (let b = 1; b < grid.length; b++) {
    const ids = members[b];
    const xm = ids.reduce((s, i) => s + xs[i], 0) / ids.length;
    const gm = ids.reduce((s, i) => s + gs[i], 0) / ids.length;
    const sxx = ids.reduce((s, i) => s + (xs[i] - xm) ** 2, 0);
    const sxg = ids.reduce((s, i) => s + (xs[i] - xm) * (gs[i] - gm), 0);
    const beta = sxx > 0 ? sxg / sxx : 0;
    const mid = (grid[b - 1] + grid[b]) / 2;
    f.push(f[b - 1] + (grid[b] - grid[b - 1]) * (gm + beta * (mid - xm)));
  }
  let c = 0;
  for (let b = 1; b < grid.length; b++) c += (members[b].length * (f[b - 1] + f[b])) / 2 / xs.length;
  return f.map((v) => v - c);
}

describe("effects: the quantile grid and ALE bins", () => {
  it("grids distinct type-7 quantiles and bins values into (z_{b−1}, z_b] with the minimum in bin 1", () => {
    expect(quantileGrid([4, 0, 2, 1, 3], 5)).toEqual([0, 1, 2, 3, 4]);
    expect(quantileGrid([1, 1, 1, 2, NaN], 5)).toEqual([1, 1.25, 2]); // ties merge; NaN is ignored
    expect(quantileGrid([0, 0, 0, 0, 1], 3)).toEqual([0, 1]);
    const g = [0, 1, 2, 3];
    expect([0, 0.5, 1, 1.0001, 2, 3, -0.1, 3.1, NaN].map((x) => binOf(g, x))).toEqual([
      1, 1, 1, 2, 2, 3, -1, -1, -1,
    ]);
  });

  it("accumulates bin means and centres with bin-count weights", () => {
    // Local effects 1, 2 (means of sums 2/2 and 6/3): f = [0, 1, 3]; centre = (2·0.5 + 3·2)/5 = 1.4.
    const ale = accumulate([0, 2, 6], [0, 2, 3]);
    expect(Array.from(ale)).toEqual([0 - 1.4, 1 - 1.4, 3 - 1.4].map((v) => expect.closeTo(v, 14)));
  });
});

describe("effects of a linear model y = w·x + c", () => {
  const w = [2, -1, 0.5];
  const x = random.normal([300, 3], { seed: 4 });
  const r = effects(linearModel(w, 3), { x }, { grid: 12, iceRows: 15, seed: 2 });

  it("ranks features by mean |∂y/∂x| and plots ICE, PDP and ALE as straight lines of slope w_j", () => {
    expect(r.selection.method).toBe("scaled-mean-abs-derivative");
    expect(r.features.map((e) => e.feature)).toEqual(["x[0]", "x[1]", "x[2]"]);
    for (const e of r.features) {
      const wj = w[e.featureIndex];
      const grid = num(e.grid);
      expect(grid.length).toBe(12);
      expect(e.iceRows.length).toBe(15);
      for (const curve of [...e.ice, e.pdp, e.ale])
        for (let t = 1; t < grid.length; t++)
          expect((curve[t]! - curve[t - 1]!) / (grid[t] - grid[t - 1])).toBeCloseTo(wj, 10);
      for (const d of e.dice) for (const v of d) expect(v).toBeCloseTo(wj, 14);
      // ICE at a grid point: the row's output with x_j moved to it.
      const row = e.iceRows[3];
      const xr = (x.toArray() as number[][])[row];
      const y = (v: number) => xr.reduce((s, xi, i) => s + w[i] * (i === e.featureIndex ? v : xi), 3);
      expect(e.ice[3][5]).toBeCloseTo(y(grid[5]), 12);
      // ALE centred: the bin-count-weighted mean of bin midpoints is zero.
      let c = 0;
      let n = 0;
      for (let b = 1; b < grid.length; b++) {
        c += (e.binCounts[b] * (e.ale[b]! + e.ale[b - 1]!)) / 2;
        n += e.binCounts[b];
      }
      expect(n).toBe(300);
      expect(c / n).toBeCloseTo(0, 12);
    }
  });

  it("takes named features and explicit ICE rows", () => {
    const s = effects(linearModel(w, 3), { x }, { features: ["x[2]"], iceRows: [7, 0], grid: 4 });
    expect(s.selection.method).toBe("named");
    expect(s.features.map((e) => [e.feature, e.iceRows])).toEqual([["x[2]", [7, 0]]]);
    expect(() => effects(linearModel(w, 3), { x }, { features: ["price"] })).toThrow(
      /'price' is not a feature.*x\[0\]/,
    );
    expect(() => effects(linearModel(w, 3), { x }, { grid: 0 })).toThrow(/grid must be a positive integer/);
  });
});

describe("effects' default features: the summary's ranking by σ·mean |∂y/∂x|", () => {
  // y = x0 + 50·x1 + 3·x2 with σ ≈ 10, 0.01, 1: raw mean |∂y/∂x| ranks x1 first (50), though moving
  // it by a standard deviation changes y by 0.5; σ·mean |∂y/∂x| ranks x0 (10), x2 (3), x1 (0.5).
  const w = [1, 50, 3];
  const x = random.normal([400, 3], { seed: 8 }).mul(array([10, 0.01, 1]));
  const cols = (x.toArray() as number[][])[0].map((_, j) => (x.toArray() as number[][]).map((r) => r[j]));
  const std = cols.map((c) => {
    const m = c.reduce((s, v) => s + v, 0) / c.length;
    return Math.sqrt(c.reduce((s, v) => s + (v - m) ** 2, 0) / c.length);
  });
  const o = { top: 2, grid: 5, iceRows: 3 };

  it("picks the top by σ_j·mean |∂y/∂x_j|, not by the raw derivative of a small-unit feature", () => {
    const r = effects(linearModel(w, 0), { x }, o);
    expect(r.selection.method).toBe("scaled-mean-abs-derivative");
    expect(r.features.map((e) => e.feature)).toEqual(["x[0]", "x[2]"]);
    num(r.selection.meanAbsDerivative!).forEach((v, j) => expect(v).toBeCloseTo(w[j], 12));
    num(r.selection.scaledMeanAbsDerivative!).forEach((v, j) => expect(v).toBeCloseTo(w[j] * std[j], 10));
  });

  it("in analyze: the first features of summary.ranking byScaled, with its very scores, as effects() gives", () => {
    const r = analyze(linearModel(w, 0), { x }, { effects: o, attributionSamples: 0, verifySamples: 0 });
    const byScaled = r.summary.ranking[0].byScaled;
    expect(r.effects!.features.map((e) => e.featureIndex)).toEqual(
      byScaled.slice(0, 2).map((e) => e.featureIndex),
    );
    for (const e of byScaled)
      expect(r.effects!.selection.scaledMeanAbsDerivative![e.featureIndex]).toBe(e.value);
    expect(r.effects).toEqual(effects(linearModel(w, 0), { x }, { ...o, seed: 0 }));
  });

  it("sums the score over output components", () => {
    // y0 = x0 + 50·x1 + 3·x2, y1 = 40·x1: x1 scores σ1·(50 + 40) ≈ 0.9 and stays last.
    const W = array([
      [1, 0],
      [50, 40],
      [3, 0],
    ]);
    const model = ({ x: v }: Record<string, Tensor>) => v.matmul(W);
    const r = effects(model, { x }, { ...o, top: 1 });
    expect(r.features.map((e) => [e.output, e.feature])).toEqual([
      ["output[0]", "x[0]"],
      ["output[1]", "x[0]"],
    ]);
    expect(r.selection.scaledMeanAbsDerivative![1]).toBeCloseTo(90 * std[1], 10);
  });
});

describe("effects of an additive model y = sin(a) + b²", () => {
  const model = ({ a, b }: Record<string, Tensor>) => a.sin().add(b.square());
  const a = random.uniform([2000], { seed: 11, low: -3, high: 3 });
  const b = random.normal([2000], { seed: 12 });
  const r = effects(model, { a, b }, { features: ["a", "b"], grid: 15, iceRows: 25, seed: 5 });

  const cols = { a: a.toArray() as number[], b: b.toArray() as number[] };
  const comp: Record<string, [(v: number) => number, (v: number) => number]> = {
    a: [Math.sin, Math.cos],
    b: [(v) => v * v, (v) => 2 * v],
  };

  it("ALE integrates, bin by bin, a line fitted through the rows' exact derivatives", () => {
    for (const e of r.features) {
      const xs = cols[e.feature as "a" | "b"];
      const want = lineFitAle(xs, xs.map(comp[e.feature][1]), num(e.grid));
      want.forEach((v, t) => expect(e.ale[t]).toBeCloseTo(v, 12));
    }
  });

  it("ALE equals each component function up to its centring constant, within the bins' discretisation", () => {
    for (const e of r.features) {
      const f = comp[e.feature][0];
      const grid = num(e.grid);
      // Closed form of the centring: Σ_b n_b (f(z_{b−1}) + f(z_b))/2 / n, on the uncentred f(z) − f(z_0).
      let c = 0;
      let n = 0;
      for (let t = 1; t < grid.length; t++) {
        c += (e.binCounts[t] * (f(grid[t - 1]) + f(grid[t]) - 2 * f(grid[0]))) / 2;
        n += e.binCounts[t];
      }
      const err = Math.max(...grid.map((z, t) => Math.abs(e.ale[t]! - (f(z) - f(grid[0]) - c / n))));
      // b²: a derivative linear in b is integrated exactly, wherever the rows sit in a bin. sin: the
      // line misses cos by ≤ w²/8 on a bin of width w ≈ 0.43, so ≤ w³/8 ≈ 0.01 per bin at worst;
      // the misses mostly cancel (measured 4e-4).
      expect(err).toBeLessThan(e.feature === "b" ? 1e-12 : 2e-3);
    }
  });

  it("ICE curves are parallel and derivative ICE is the component's exact derivative", () => {
    for (const e of r.features) {
      const grid = num(e.grid);
      const first = num(e.ice[0]);
      for (const curve of e.ice) {
        const diff = curve[0]! - first[0];
        curve.forEach((v, t) => expect(v! - first[t]).toBeCloseTo(diff, 12));
      }
      const df = e.feature === "a" ? Math.cos : (v: number) => 2 * v;
      for (const d of e.dice) d.forEach((v, t) => expect(v).toBeCloseTo(df(grid[t]), 13));
      // PDP is parallel to the ICE curves too, for an additive model.
      e.pdp.forEach((v, t) => expect(v! - e.pdp[0]!).toBeCloseTo(first[t] - first[0], 12));
    }
  });
});

describe("effects of an interaction y = a·b", () => {
  const model = ({ a, b }: Record<string, Tensor>) => a.mul(b);
  const a = random.normal([500], { seed: 21 });
  const b = random.normal([500], { seed: 22 });

  it("ICE curves are not parallel: each row's slope is its own b", () => {
    const r = effects(model, { a, b }, { features: ["a"], grid: 8, iceRows: 10, seed: 1 });
    const e = r.features[0];
    const bs = b.toArray() as number[];
    e.dice.forEach((d, i) => d.forEach((v) => expect(v).toBeCloseTo(bs[e.iceRows[i]], 14)));
    const slopes = e.dice.map((d) => d[0]!);
    expect(Math.max(...slopes) - Math.min(...slopes)).toBeGreaterThan(0.5);
  });

  it("ALE of correlated features follows the data; PDP extrapolates", () => {
    // b = a + small noise: ALE of a integrates ∂y/∂a = b ≈ a along the data, so ALE ≈ a²/2 (convex);
    // PDP averages a·b over all b, ≈ a·mean(b), a near-flat line.
    const aa = random.normal([4000], { seed: 31 });
    const bb = aa.add(random.normal([4000], { seed: 32, std: 0.05 }));
    const e = effects(model, { a: aa, b: bb }, { features: ["a"], grid: 10, iceRows: 4000 }).features[0];
    const grid = num(e.grid);
    const last = grid.length - 1;
    const aleRise = e.ale[last]! + e.ale[0]! - 2 * e.ale[Math.floor(last / 2)]!;
    expect(aleRise).toBeGreaterThan(1);
    const mb = (bb.toArray() as number[]).reduce((s, v) => s + v, 0) / 4000;
    e.pdp.forEach((v, t) => expect(v).toBeCloseTo(grid[t] * mb, 10));
  });
});

describe("effects of a model with several outputs and a constant input", () => {
  it("gives one entry per output component and keeps integer inputs fixed", () => {
    const model = ({ x, k }: Record<string, Tensor>) =>
      x.mul(k.astype("float64").reshape([-1, 1])).matmul(
        array([
          [1, 0],
          [0, 2],
        ]),
      );
    const x = random.normal([40, 2], { seed: 3 });
    const k = array(
      [...Array(40).keys()].map((i) => (i % 3) + 1),
      { dtype: "int32" },
    );
    const r = effects(model, { x, k }, { features: ["x[0]"], grid: 5, iceRows: [4, 5] });
    expect(r.features.map((e) => [e.output, e.feature])).toEqual([
      ["output[0]", "x[0]"],
      ["output[1]", "x[0]"],
    ]);
    // ∂y0/∂x0 = k_row, ∂y1/∂x0 = 0.
    expect(r.features[0].dice.map((d) => d[0])).toEqual([2, 3]);
    expect(r.features[1].dice.map((d) => d[0])).toEqual([0, 0]);
  });
});

describe("effects in small batches", () => {
  it("gives the same numbers whatever the batch size (ICE and ALE are evaluated in chunks)", () => {
    const x = random.normal([50, 2], { seed: 1 });
    const m = ({ x }: Record<string, Tensor>) =>
      x
        .square()
        .sum({ axis: 1 })
        .add(x.prod({ axis: 1 }));
    const small = effects(m, { x }, { grid: 10, iceRows: 20, batchSize: 3, seed: 4 });
    const large = effects(m, { x }, { grid: 10, iceRows: 20, seed: 4 });
    expect(small).toEqual(large);
    // The pass over the 50 rows (ranking and ALE), then ICE rows × grid points per feature: nothing else.
    expect(small.evaluations).toBe(50 + 2 * (20 * 10));
  });
});

describe("derivative-based ALE of a tanh MLP", () => {
  const model = mlp(3, 8, 5);
  const x = random.normal([300, 3], { seed: 6 });
  const xs = x.toArray() as number[][];
  const e = effects(model, { x }, { features: ["x[1]"], grid: 8, iceRows: 0 }).features[0];
  const grid = num(e.grid);
  const bin = (v: number) => binOf(grid, v);
  const y = (rows: number[][]) => model({ x: array(rows) }).toArray() as number[];
  const centred = (sums: number[], counts: number[]) => {
    const f = [0];
    for (let b = 1; b < grid.length; b++) f.push(f[b - 1] + sums[b] / counts[b]);
    let c = 0;
    for (let b = 1; b < grid.length; b++) c += (counts[b] * (f[b - 1] + f[b])) / 2 / 300;
    return f.map((v) => v - c);
  };

  it("integrates the line through the rows' derivatives, here by central differences (float64)", () => {
    const h = 1e-5;
    const up = y(xs.map((r) => r.map((v, j) => (j === 1 ? v + h : v))));
    const dn = y(xs.map((r) => r.map((v, j) => (j === 1 ? v - h : v))));
    const x1 = xs.map((r) => r[1]);
    expect(grid.map((_, b) => x1.filter((v) => bin(v) === b).length)).toEqual(e.binCounts);
    const want = lineFitAle(
      x1,
      up.map((u, i) => (u - dn[i]) / (2 * h)),
      grid,
    );
    want.forEach((v, b) => expect(e.ale[b]).toBeCloseTo(v, 8));
    expect(e.ice).toEqual([]);
    expect(e.pdp.every((v) => v === null)).toBe(true); // no ICE rows: no PDP, not a made-up 0
  });

  it("is close to the classic ALE from output differences at the bin edges (within 5% of its range)", () => {
    // Each row's y(z_b) − y(z_{b−1}) with x_1 moved to the edges of its bin, from the model itself.
    const edge = (side: 0 | 1) =>
      y(xs.map((r) => r.map((v, j) => (j === 1 ? grid[bin(r[1]) - 1 + side] : v))));
    const [lo, hi] = [edge(0), edge(1)];
    const sums = grid.map(() => 0);
    xs.forEach((r, i) => (sums[bin(r[1])] += hi[i] - lo[i]));
    const classic = centred(sums, e.binCounts);
    const range = Math.max(...classic) - Math.min(...classic);
    expect(range).toBeGreaterThan(1);
    // Both estimate ∫ E[∂y/∂x_1 | x_1 = z] dz; the classic one moves every row across its whole bin
    // (2 evaluations per row), this one reads the rows' own derivatives. 300 rows and 8 bins: the
    // largest gap is 2% of the range, in a tail bin where few rows are.
    classic.forEach((v, b) => expect(Math.abs(e.ale[b]! - v)).toBeLessThan(0.05 * range));
  });
});
