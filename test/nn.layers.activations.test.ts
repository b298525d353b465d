/**
 * Activation layers: LeakyReLU, PReLU, ELU, ReLU, Softmax, ThresholdedReLU — keras-js goldens,
 * scalar formulas applied entry by entry, and checkGrads to second order at points away from the
 * kinks (the ReLU family is piecewise linear there, so its second derivatives are zero; ELU's and
 * Softmax's are not).
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  initializers,
  layers,
  random,
  resetNames,
  ShapeError,
  Tensor,
  ValueError,
  zeros,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { expectGolden, golden } from "./helpers/kerasjsGolden.js";

beforeEach(() => resetNames());

/** Inputs away from 0 and from the thresholds used below, so finite differences see no kink. */
const X = array([
  [-2.5, -0.7, 0.35, 1.3],
  [3.1, -1.45, 0.8, 7.2],
]);

/** Applies a scalar formula entry by entry. */
const each = (x: Tensor, f: (v: number) => number) =>
  array(Float64Array.from(x.data(), f), { shape: x.shape });

describe("keras-js goldens (Keras 2.1 advanced_activations)", () => {
  it("LeakyReLU(alpha=0.4), ELU(alpha=1.1), ThresholdedReLU(theta=0.9), PReLU with weights", () => {
    let g = golden("advanced_activations.LeakyReLU.0");
    expectGolden(new layers.LeakyReLU({ alpha: 0.4 }).call(g.inputs[0]), g.expected);
    g = golden("advanced_activations.ELU.0");
    expectGolden(new layers.ELU({ alpha: 1.1 }).call(g.inputs[0]), g.expected);
    g = golden("advanced_activations.ThresholdedReLU.0");
    expectGolden(new layers.ThresholdedReLU({ theta: 0.9 }).call(g.inputs[0]), g.expected);
    g = golden("advanced_activations.PReLU.0");
    const p = new layers.PReLU();
    p.call(g.inputs[0]);
    p.setWeights(g.weights);
    expectGolden(p.call(g.inputs[0]), g.expected);
  });
});

describe("LeakyReLU", () => {
  it("uses negativeSlope (Keras 3) or alpha (Keras 2); the default is 0.3 in both", () => {
    assertAllclose(
      new layers.LeakyReLU({ negativeSlope: 0.1 }).call(X),
      each(X, (v) => (v >= 0 ? v : 0.1 * v)),
      { rtol: 1e-15 },
    );
    const d = new layers.LeakyReLU();
    expect(d.negativeSlope).toBe(0.3);
    expect(new layers.LeakyReLU({ alpha: 0.2 }).getConfig().negativeSlope).toBe(0.2);
    expect(() => new layers.LeakyReLU({ negativeSlope: -1 })).toThrow(ValueError);
    checkGrads((x: Tensor) => d.call(x).square(), [X], { order: 2 });
  });
});

describe("ELU", () => {
  it("is x for x > 0 and alpha(eˣ − 1) otherwise", () => {
    const e = new layers.ELU({ alpha: 0.7 });
    assertAllclose(
      e.call(X),
      each(X, (v) => (v > 0 ? v : 0.7 * Math.expm1(v))),
      { rtol: 1e-15 },
    );
    checkGrads((x: Tensor) => e.call(x), [X], { order: 2 });
  });
});

describe("ReLU", () => {
  it("matches Keras's formula for maxValue / negativeSlope / threshold combinations", () => {
    const cases: [ConstructorParameters<typeof layers.ReLU>[0], (v: number) => number][] = [
      [{}, (v) => Math.max(v, 0)],
      [{ maxValue: 6 }, (v) => Math.min(Math.max(v, 0), 6)],
      [{ negativeSlope: 0.1 }, (v) => (v >= 0 ? v : 0.1 * v)],
      [{ threshold: 1 }, (v) => (v > 1 ? v : 0)],
      [
        { maxValue: 3, negativeSlope: 0.2, threshold: 0.5 },
        (v) => (v > 0.5 ? Math.min(v, 3) : 0.2 * (v - 0.5)),
      ],
    ];
    for (const [args, f] of cases) {
      const r = new layers.ReLU(args);
      assertAllclose(r.call(X), each(X, f), { rtol: 1e-15, atol: 1e-15 });
      checkGrads((x: Tensor) => r.call(x).square(), [X], { order: 2 });
    }
    expect(new layers.ReLU({ maxValue: 6 }).getConfig()).toMatchObject({
      maxValue: 6,
      negativeSlope: 0,
      threshold: 0,
    });
    expect(() => new layers.ReLU({ maxValue: -1, name: "r" })).toThrow(
      /ReLU 'r': maxValue must be a number ≥ 0/,
    );
  });
});

describe("ThresholdedReLU", () => {
  it("is x above theta and 0 at or below it", () => {
    const r = new layers.ThresholdedReLU({ theta: 1 });
    expect(r.call(array([[0.5, 1, 2]])).toArray()).toEqual([[0, 0, 2]]);
    checkGrads((x: Tensor) => r.call(x).square(), [X], { order: 2 });
  });
});

describe("PReLU", () => {
  it("learns one slope per entry, shared along sharedAxes", () => {
    const p = new layers.PReLU({ sharedAxes: [1, 2], alphaInitializer: initializers.constant(0.25) });
    const x = random.normal([2, 3, 4, 5], { seed: 1 });
    p.call(x);
    expect(p.weights.map((w) => [w.name, w.shape])).toEqual([["alpha", [1, 1, 5]]]);
    const alpha = random.uniform([1, 1, 5], { low: 0, high: 1, seed: 2 });
    p.setWeights([alpha]);
    const A = alpha.data();
    const xs = x.data();
    const want = Float64Array.from(xs, (v, i) => (v >= 0 ? v : A[i % 5] * v));
    assertAllclose(p.call(x), array(want, { shape: x.shape }), { rtol: 1e-15 });
    expect(p.getConfig().sharedAxes).toEqual([1, 2]);
    expect(() => new layers.PReLU({ sharedAxes: 3 }).call(zeros([1, 2, 2]))).toThrow(ShapeError);
    checkGrads((v: Tensor) => p.call(v).square(), [x.slice([[0, 1]])], { order: 2 });
  });
});

describe("Softmax", () => {
  it("normalises along one axis or several", () => {
    const s = new layers.Softmax().call(array([[1, 2, 1]]));
    assertAllclose(s, array([[0.21194155761708544, 0.5761168847658291, 0.21194155761708544]]), {
      rtol: 1e-15,
    });
    const x = random.normal([2, 3, 4], { seed: 3 });
    const y = new layers.Softmax({ axis: [1, 2] }).call(x);
    const e = x.exp();
    assertAllclose(y, e.div(e.sum({ axis: [1, 2], keepdims: true })), { rtol: 1e-14 });
    checkGrads((v: Tensor) => new layers.Softmax({ axis: 1 }).call(v), [x], { order: 2 });
  });

  it("gives masked entries probability 0 (a fully masked row gives zeros, as Keras 3)", () => {
    const x = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const mask = array([
      [true, false, true],
      [false, false, false],
    ]);
    const y = new layers.Softmax().call(x, { mask }).toArray() as number[][];
    const z = Math.exp(1) + Math.exp(3);
    expect(y[0][0]).toBeCloseTo(Math.exp(1) / z, 15);
    expect(y[0][1]).toBe(0);
    expect(y[0][2]).toBeCloseTo(Math.exp(3) / z, 15);
    expect(y[1]).toEqual([0, 0, 0]);
    // Numeric masks keep entries > 0.5; a mask must broadcast against the input.
    const y2 = new layers.Softmax().call(x, { mask: array([[1, 0, 1]]) });
    expect((y2.toArray() as number[][])[1][1]).toBe(0);
    expect(() => new layers.Softmax({ name: "sm" }).call(x, { mask: array([[true, false]]) })).toThrow(
      /Softmax 'sm': mask of shape \[1, 2\] does not broadcast to the input \[2, 3\]/,
    );
    checkGrads((v: Tensor) => new layers.Softmax().call(v, { mask }), [x.mul(0.3)], { order: 2 });
  });
});
