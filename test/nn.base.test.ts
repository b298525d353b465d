import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  derivatives,
  Input,
  initializers,
  jacrev,
  layers,
  Layer,
  Model,
  random,
  resetNames,
  Sequential,
  setWarningHandler,
  ShapeError,
  Tensor,
  ValueError,
  type ShapeTree,
  type Weight,
} from "../src/index.js";
import { allclose, assertAllclose, checkGrads } from "../src/testing/index.js";

const dense = (units: number, extra: Partial<ConstructorParameters<typeof layers.Dense>[0]> = {}) =>
  new layers.Dense({ units, kernelInitializer: initializers.glorotUniform({ seed: units }), ...extra });

beforeEach(() => resetNames());

describe("Layer basics", () => {
  it("names layers like Keras 3 and builds on first call", () => {
    const a = dense(3);
    const b = dense(3);
    expect([a.name, b.name]).toEqual(["dense", "dense_1"]);
    expect(a.built).toBe(false);
    const y = a.call(array([[1, 2]]));
    expect(a.built).toBe(true);
    expect(y.shape).toEqual([1, 3]);
    expect(a.weights.map((w) => w.name)).toEqual(["kernel", "bias"]);
    expect(a.countParams()).toBe(9);
  });

  it("computes Dense exactly and checks the input width", () => {
    const d = new layers.Dense({
      units: 1,
      kernelInitializer: initializers.constant(0.1),
      biasInitializer: initializers.constant(0.5),
    });
    expect(d.call(array([[1, 2]])).toArray()).toEqual([[0.5 + 0.1 * 3]]);
    expect(() => d.call(array([[1, 2, 3]]))).toThrow(
      /Dense 'dense': expected input with last dimension 2, got \[1, 3\]/,
    );
  });

  it("setWeights checks count and shapes, getWeights returns Keras order", () => {
    const d = dense(2);
    d.call(array([[1, 2, 3]]));
    expect(() => d.setWeights([array([1])])).toThrow(ValueError);
    expect(() => d.setWeights([array([[1, 2]]), array([0, 0])])).toThrow(
      /weight 'kernel' expects shape \[3,2\], got \[1,2\]/,
    );
    d.setWeights([
      array([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      array([1, -1]),
    ]);
    expect(d.call(array([[1, 2, 3]])).toArray()).toEqual([[5, 4]]);
    expect(d.getWeights()[1].toArray()).toEqual([1, -1]);
  });

  it("round-trips getConfig/fromConfig", () => {
    const d = new layers.Dense({ units: 4, activation: "tanh", useBias: false, name: "hid" });
    const copy = layers.Dense.fromConfig(d.getConfig());
    expect(copy.getConfig()).toEqual(d.getConfig());
    expect(copy.name).toBe("hid");
  });

  it("custom layers get weights through addWeight and are differentiable", () => {
    class Scale extends Layer {
      static override className = "Scale";
      w!: Weight;
      override build(shape: ShapeTree) {
        const s = shape as (number | null)[];
        this.w = this.addWeight("w", [s[s.length - 1]!], initializers.constant(2));
      }
      call(x: Tensor) {
        return x.mul(this.w.value).sin();
      }
    }
    const s = new Scale();
    expect(s.name).toBe("scale");
    const x = array([[0.1, 0.4]]);
    assertAllclose(s.call(x), x.mul(2).sin(), { rtol: 1e-15 });
    checkGrads((v: Tensor) => s.call(v), [x], { order: 2 });
  });
});

describe("models", () => {
  it("Sequential builds from inputShape, summarises, predicts in batches", () => {
    const m = new Sequential([dense(4, { inputShape: [3], activation: "tanh" }), dense(1)]);
    expect(m.built).toBe(true);
    const text = m.summary({ print: false });
    expect(text).toContain('Model: "sequential"');
    expect(text).toMatch(/dense \(Dense\)\s+│ \(None, 4\)\s+│\s+16 │/);
    expect(text).toContain("Total params: 21");
    const x = random.normal([10, 3], { seed: 1 });
    const full = m.call(x);
    const batched = m.predict(x, { batchSize: 3 });
    assertAllclose(batched, full, { rtol: 1e-15 });
  });

  it("functional models: two named inputs, a shared layer, a nested model, two outputs", () => {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [3], name: "b" });
    const shared = dense(4, { activation: "tanh" });
    const inner = new Sequential([dense(2, { inputShape: [4], activation: "sigmoid" })]);
    const ha = shared.apply(a);
    const hb = shared.apply(b);
    const head = new layers.Dense({ units: 1, kernelInitializer: initializers.ones() });
    const sum = head.apply(ha);
    const nested = inner.apply(hb);
    const model = new Model({ inputs: { a, b }, outputs: [sum, nested] });
    expect(model.inputNames).toEqual(["a", "b"]);
    expect(shared.inboundNodes.length).toBe(2);
    const text = model.summary({ print: false });
    expect(text).toContain("Connected to");
    expect(text).toMatch(/dense \(Dense\).*a\[0\]\[0\]/);
    const xa = random.normal([5, 3], { seed: 2 });
    const xb = random.normal([5, 3], { seed: 3 });
    const [o1, o2] = model.call({ a: xa, b: xb });
    const h = shared.call(xa);
    assertAllclose(o1, h.sum({ axis: -1, keepdims: true }).add(head.bias!.value), { rtol: 1e-14 });
    assertAllclose(o2, inner.call(shared.call(xb)), { rtol: 1e-14 });
    expect(() => model.call({ a: xa })).toThrow(/missing b/);
    expect(() => model.call({ a: xa, b: random.normal([5, 4]) })).toThrow(
      /input 'b' expects shape \(None, 3\), got \(5, 4\)/,
    );
    // Differentiable to second order through the shared layer and the nested model.
    checkGrads(
      (x: Tensor, y: Tensor) => model.call({ a: x, b: y })[1].sum(),
      [xa.slice([[0, 2]]), xb.slice([[0, 2]])],
      {
        order: 2,
      },
    );
  });

  it("reports a disconnected graph", () => {
    const a = Input({ shape: [2], name: "a" });
    const b = Input({ shape: [2], name: "b" });
    const y = new layers.Dense({ units: 1 }).apply(b);
    expect(() => new Model({ inputs: a, outputs: y })).toThrow(/graph disconnected.*'b'/);
  });

  it("subclassed models track sublayers, build from shapes, and are differentiable", () => {
    class Net extends Model {
      readonly first = dense(3, { activation: "tanh" });
      readonly second = dense(1);
      override call(x: Tensor) {
        return this.second.call(this.first.call(x));
      }
    }
    const net = new Net();
    net.build([null, 2]);
    expect(net.weights.map((w) => w.path)).toEqual([
      "dense/kernel",
      "dense/bias",
      "dense_1/kernel",
      "dense_1/bias",
    ]);
    expect(net.countParams()).toBe(13);
    const x = random.normal([4, 2], { seed: 5 });
    checkGrads((v: Tensor) => net.call(v), [x], { order: 2 });
    const perSample = derivatives(net, { input: x }).jacobian.output.input;
    expect(perSample.shape).toEqual([4, 2]);
    const direct = jacrev((v: Tensor) => net.call(v.reshape([1, 2])).reshape([]))(x.slice([2]));
    expect(allclose(perSample.slice([2]), direct, { rtol: 1e-14 })).toBe(true);
  });
});

describe("the pricing model", () => {
  const hiddenModel = () =>
    new Sequential([
      new layers.Dense({
        units: 1,
        name: "output",
        useBias: true,
        inputShape: [2],
        kernelInitializer: initializers.constant(0.1),
        biasInitializer: initializers.constant(0),
      }),
    ]);

  class BuggyPricing extends Model {
    constructor(readonly hidden: Model) {
      super({ inputNames: ["referencePrices", "hiddenInputs"] });
    }
    override call([prices, features]: Tensor[]) {
      return (this.hidden.call(features) as Tensor).add(1).mul(prices);
    }
    override computeOutputShape(): ShapeTree {
      return [null, 1];
    }
  }

  class Pricing extends BuggyPricing {
    override call([prices, features]: Tensor[]) {
      return (this.hidden.call(features) as Tensor).add(1).mul(prices.reshape([-1, 1]));
    }
  }

  const prices = random.uniform([10], { seed: 11, low: 90, high: 110 });
  const features = random.normal([10, 2], { seed: 12 });

  it("warns plainly when call() broadcasts (N,1)·(N,) to (N,N)", () => {
    const seen: string[] = [];
    const prev = setWarningHandler((m) => seen.push(m));
    try {
      const m = new BuggyPricing(hiddenModel());
      m.build([[10], [10, 2]]);
      const y = m.call([prices, features]);
      expect(y.shape).toEqual([10, 10]);
      expect(seen.length).toBe(1);
      expect(seen[0]).toMatch(/returned shape \(10, 10\).*declares \(None, 1\).*broadcasting trap/);
      const strict = new (class extends BuggyPricing {})(hiddenModel());
      Object.assign(strict, { onShapeMismatch: "error" });
      expect(() => strict.call([prices, features])).toThrow(ShapeError);
    } finally {
      setWarningHandler(prev);
    }
  });

  it("a first concrete call with a rank-1 price input builds without guessing batch dims", () => {
    const m = new Pricing(hiddenModel());
    const y = m.call([random.normal([8], { seed: 1 }), random.normal([8, 2], { seed: 2 })]);
    expect(y.shape).toEqual([8, 1]);
    expect(m.built).toBe(true);
  });

  it("gives the closed-form per-sample derivatives, to second order", () => {
    const seen: string[] = [];
    const prev = setWarningHandler((m) => seen.push(m));
    const m = new Pricing(hiddenModel());
    const d = derivatives(m, { referencePrices: prices, hiddenInputs: features }, { order: 2 });
    setWarningHandler(prev);
    expect(seen).toEqual([]);
    const hidden = features.sum({ axis: 1 }).mul(0.1);
    const out = d.outputNames[0];
    expect(d.jacobian[out].referencePrices.shape).toEqual([10]);
    expect(d.jacobian[out].hiddenInputs.shape).toEqual([10, 2]);
    assertAllclose(d.jacobian[out].referencePrices, hidden.add(1), { rtol: 1e-14 });
    assertAllclose(d.jacobian[out].hiddenInputs, prices.mul(0.1).reshape([10, 1]).broadcastTo([10, 2]), {
      rtol: 1e-14,
    });
    const h = d.hessian![out];
    assertAllclose(h.referencePrices.referencePrices, array(new Float64Array(10)), { atol: 1e-15 });
    assertAllclose(
      h.referencePrices.hiddenInputs,
      array(new Float64Array(20).fill(0.1), { shape: [10, 2] }),
      { rtol: 1e-14 },
    );
    assertAllclose(h.hiddenInputs.hiddenInputs, array(new Float64Array(40), { shape: [10, 2, 2] }), {
      atol: 1e-15,
    });
    checkGrads((p: Tensor, x: Tensor) => m.call([p, x]), [prices.slice([[0, 3]]), features.slice([[0, 3]])], {
      order: 2,
    });
  });
});
