/**
 * Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot — against the
 * keras-js goldens (small functional models of Dense (+ RepeatVector) branches, as the Keras
 * notebook built them), hand computations for broadcasting, rank lifting and masks, and checkGrads
 * to second order (Maximum/Minimum are piecewise linear: the points are away from ties).
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  Input,
  Layer,
  layers,
  Model,
  random,
  resetNames,
  Tensor,
  ValueError,
  zeros,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { expectGolden, golden } from "./helpers/kerasjsGolden.js";

beforeEach(() => resetNames());

/** A merge layer: a list of tensors in, one tensor out. */
type AnyMerge = Layer & { call(inputs: Tensor[]): Tensor };

/**
 * The keras-js merge notebook's model: Input(6) → `branches` × Dense(2) [→ RepeatVector(3)] → merge.
 * Weights come in get_weights order (one Dense after the other).
 */
function kerasJsMergeModel(key: string, merge: AnyMerge, repeat: boolean) {
  const g = golden(key);
  const x = Input({ shape: [6] });
  const branches = Array.from({ length: g.weights.length / 2 }, () => {
    const d = new layers.Dense({ units: 2 }).apply(x);
    return repeat ? new layers.RepeatVector({ n: 3 }).apply(d) : d;
  });
  const model = new Model({ inputs: x, outputs: merge.apply(branches) });
  model.setWeights(g.weights);
  return { g, model };
}

describe("keras-js goldens", () => {
  const elementwise: [string, () => AnyMerge][] = [
    ["Add", () => new layers.Add()],
    ["Multiply", () => new layers.Multiply()],
    ["Average", () => new layers.Average()],
    ["Maximum", () => new layers.Maximum()],
    ["Minimum", () => new layers.Minimum()],
  ];
  for (const [name, make] of elementwise)
    it(`${name}.0–2 (2, 3 and 4 inputs)`, () => {
      for (const i of [0, 1, 2]) {
        const { g, model } = kerasJsMergeModel(`merge.${name}.${i}`, make(), false);
        expect(g.spec.at(-1)).toContain(`${name}()`);
        expectGolden(model.call(g.inputs[0]), g.expected);
      }
    });

  it("Subtract.0", () => {
    const { g, model } = kerasJsMergeModel("merge.Subtract.0", new layers.Subtract(), false);
    expectGolden(model.call(g.inputs[0]), g.expected);
  });

  it("Concatenate.0–6 (axis -1, -2, 1, 2; 2–4 inputs)", () => {
    const axes = [-1, -1, -2, 1, 2, -1, -1];
    axes.forEach((axis, i) => {
      const { g, model } = kerasJsMergeModel(
        `merge.Concatenate.${i}`,
        new layers.Concatenate({ axis }),
        i > 0,
      );
      expect(g.spec.at(-1)).toContain(`Concatenate(axis=${axis})`);
      expectGolden(model.call(g.inputs[0]), g.expected);
    });
  });

  it("Dot.0–4 (axes 1, 2, (2, 2); normalize false/true)", () => {
    const cases: [number | [number, number], boolean][] = [
      [1, false],
      [2, false],
      [1, true],
      [2, true],
      [[2, 2], true],
    ];
    cases.forEach(([axes, normalize], i) => {
      const { g, model } = kerasJsMergeModel(`merge.Dot.${i}`, new layers.Dot({ axes, normalize }), true);
      expectGolden(model.call(g.inputs[0]), g.expected);
    });
  });
});

describe("element-wise merges", () => {
  const a = array([
    [1, -2, 3],
    [0.5, 4, -1],
  ]);
  const b = array([
    [2, 2, -3],
    [1, -4, 0.25],
  ]);
  const c = array([
    [-1, 0.5, 2],
    [3, 1, 1],
  ]);

  it("compute sums, differences, products, means, maxima and minima by hand", () => {
    const A = a.toArray() as number[][];
    const B = b.toArray() as number[][];
    const C = c.toArray() as number[][];
    const each = (f: (x: number, y: number, z: number) => number) =>
      A.map((r, i) => r.map((x, j) => f(x, B[i][j], C[i][j])));
    assertAllclose(new layers.Add().call([a, b, c]), array(each((x, y, z) => x + y + z)), { rtol: 1e-15 });
    assertAllclose(new layers.Subtract().call([a, b]), array(each((x, y) => x - y)), { rtol: 1e-15 });
    assertAllclose(new layers.Multiply().call([a, b, c]), array(each((x, y, z) => x * y * z)), {
      rtol: 1e-15,
    });
    assertAllclose(new layers.Average().call([a, b, c]), array(each((x, y, z) => (x + y + z) / 3)), {
      rtol: 1e-15,
    });
    assertAllclose(new layers.Maximum().call([a, b, c]), array(each((x, y, z) => Math.max(x, y, z))), {
      rtol: 0,
    });
    assertAllclose(new layers.Minimum().call([a, b, c]), array(each((x, y, z) => Math.min(x, y, z))), {
      rtol: 0,
    });
  });

  it("broadcast size-1 dims and lift lower-rank inputs at axis 1 (Keras's rules)", () => {
    const col = array([[10], [20]]);
    expect(new layers.Add().call([a, col]).toArray()).toEqual([
      [11, 8, 13],
      [20.5, 24, 19],
    ]);
    const seq = random.normal([2, 4, 3], { seed: 1 });
    const y = new layers.Multiply().call([seq, a]);
    expect(y.shape).toEqual([2, 4, 3]);
    assertAllclose(y, seq.mul(a.reshape([2, 1, 3])), { rtol: 1e-15 });
    expect(
      new layers.Add().computeOutputShape([
        [null, 4, 3],
        [null, 3],
      ]),
    ).toEqual([null, 4, 3]);
    expect(
      new layers.Add().computeOutputShape([
        [null, 3],
        [null, 1],
      ]),
    ).toEqual([null, 3]);
  });

  it("report incompatible shapes and wrong input counts, naming the layer", () => {
    expect(() => new layers.Add({ name: "plus" }).call([a, zeros([2, 4])])).toThrow(
      /Add 'plus': inputs have incompatible shapes \[None, 3\], \[None, 4\]/,
    );
    expect(() => new layers.Subtract().call([a, b, c])).toThrow(/exactly 2 inputs, got 3/);
    expect(() => new layers.Add().call(a)).toThrow(ValueError);
    expect(() =>
      new layers.Add().computeOutputShape([
        [2, 3],
        [3, 3],
      ]),
    ).toThrow(/different batch sizes/);
  });

  it("handle Keras masks as Keras 3 does", () => {
    const x = array([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const y = array([
      [
        [10, -20],
        [30, 40],
        [-50, 60],
      ],
    ]);
    const mx = array([[true, false, true]]);
    const my = array([[true, true, false]]);
    // Multiply: masked entries count as 1, and the output is 0 outside the union of the masks.
    expect(new layers.Multiply().call([x, y], { mask: [mx, my] }).toArray()).toEqual([
      [
        [10, -40],
        [30, 40],
        [5, 6],
      ],
    ]);
    // Only one input masked: its masked entries count as 1, nothing is zeroed.
    expect(new layers.Multiply().call([x, y], { mask: [mx, null] }).toArray()).toEqual([
      [
        [10, -40],
        [30, 40],
        [-250, 360],
      ],
    ]);
    // Maximum/Minimum: a masked entry takes the other's value, so it never wins.
    expect(new layers.Maximum().call([x, y], { mask: [mx, my] }).toArray()).toEqual([
      [
        [10, 2],
        [30, 40],
        [5, 6],
      ],
    ]);
    expect(new layers.Minimum().call([x, y], { mask: [mx, my] }).toArray()).toEqual([
      [
        [1, -20],
        [30, 40],
        [5, 6],
      ],
    ]);
    // Add ignores masks in the values; the output mask is the OR when every input has one.
    expect(new layers.Add().call([x, y], { mask: [mx, my] }).toArray()).toEqual(
      new layers.Add().call([x, y]).toArray(),
    );
    expect(new layers.Add().computeMask([x, y], [mx, my])?.toArray()).toEqual([[true, true, true]]);
    expect(new layers.Add().computeMask([x, y], [mx, null])).toBeNull();
  });

  it("are differentiable to second order", () => {
    for (const layer of [
      new layers.Add(),
      new layers.Multiply(),
      new layers.Average(),
      new layers.Maximum(),
      new layers.Minimum(),
    ])
      checkGrads((p: Tensor, q: Tensor, r: Tensor) => layer.call([p, q, r]).square(), [a, b, c], {
        order: 2,
      });
    checkGrads((p: Tensor, q: Tensor) => new layers.Subtract().call([p, q]).exp(), [a, b], { order: 2 });
  });
});

describe("Concatenate", () => {
  it("joins along the axis, checks the other dims and computes the mask (Keras 3: any)", () => {
    const x = random.normal([2, 3, 4], { seed: 2 });
    const y = random.normal([2, 3, 1], { seed: 3 });
    const out = new layers.Concatenate().call([x, y]);
    expect(out.shape).toEqual([2, 3, 5]);
    assertAllclose(out.slice([null, null, [0, 4]]), x, { rtol: 0 });
    assertAllclose(out.slice([null, null, [4, 5]]), y, { rtol: 0 });
    expect(
      new layers.Concatenate({ axis: 1 }).computeOutputShape([
        [null, 3, 4],
        [null, 2, 4],
      ]),
    ).toEqual([null, 5, 4]);
    expect(
      new layers.Concatenate({ axis: 1 }).computeOutputShape([
        [null, null, 4],
        [null, 2, 4],
      ]),
    ).toEqual([null, null, 4]);
    expect(() => new layers.Concatenate({ axis: 1, name: "cat" }).call([x, y])).toThrow(
      /Concatenate 'cat': inputs must match in every dim except the concatenation axis 1/,
    );
    const mx = array([
      [true, false, false],
      [true, true, false],
    ]);
    const cat = new layers.Concatenate({ axis: 1 });
    expect(cat.computeMask([x, x], [mx, null])?.toArray()).toEqual([
      [true, false, false, true, true, true],
      [true, true, false, true, true, true],
    ]);
    expect(new layers.Concatenate().computeMask([x, y], [mx, null])?.toArray()).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
    expect(cat.computeMask([x, x], [null, null])).toBeNull();
    checkGrads((p: Tensor, q: Tensor) => new layers.Concatenate().call([p, q]).square().sin(), [x, y], {
      order: 2,
    });
  });
});

describe("Dot", () => {
  it("is Keras's batch_dot: [N,3,4]·[N,5,4] over axes (2,2) → [N,3,5] (naive loop)", () => {
    const x = random.normal([2, 3, 4], { seed: 4 });
    const y = random.normal([2, 5, 4], { seed: 5 });
    const out = new layers.Dot({ axes: [2, 2] }).call([x, y]);
    expect(out.shape).toEqual([2, 3, 5]);
    const X = x.toArray() as number[][][];
    const Y = y.toArray() as number[][][];
    const O = out.toArray() as number[][][];
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 5; j++) {
          let s = 0;
          for (let k = 0; k < 4; k++) s += X[n][i][k] * Y[n][j][k];
          expect(O[n][i][j]).toBeCloseTo(s, 12);
        }
    expect(
      new layers.Dot({ axes: -1 }).computeOutputShape([
        [null, 3, 4],
        [null, 5, 4],
      ]),
    ).toEqual([null, 3, 5]);
    expect(
      new layers.Dot({ axes: [1, 2] }).computeOutputShape([
        [null, 4],
        [null, 3, 4],
      ]),
    ).toEqual([null, 3]);
  });

  it("gives [N, 1] for vectors, cosine similarity with normalize, and checks axes", () => {
    const u = array([
      [3, 4],
      [1, 0],
    ]);
    const v = array([
      [4, 3],
      [0, 2],
    ]);
    expect(new layers.Dot({ axes: 1 }).call([u, v]).toArray()).toEqual([[24], [0]]);
    assertAllclose(new layers.Dot({ axes: -1, normalize: true }).call([u, v]), array([[24 / 25], [0]]), {
      rtol: 1e-15,
    });
    expect(() => new layers.Dot({ axes: 1, name: "dt" }).call([u, zeros([2, 3])])).toThrow(
      /Dot 'dt': incompatible shapes/,
    );
    expect(() => new layers.Dot({ axes: 0 }).call([u, v])).toThrow(/batch axis/);
    expect(new layers.Dot({ axes: 1 }).computeMask()).toBeNull();
    const x = random.normal([2, 3, 4], { seed: 6 });
    checkGrads(
      (p: Tensor, q: Tensor) => new layers.Dot({ axes: 1, normalize: true }).call([p, q]),
      [x, x.mul(0.5).add(0.3)],
      {
        order: 2,
      },
    );
  });
});
