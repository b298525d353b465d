/**
 * Bidirectional and TimeDistributed: golden outputs saved by real Keras 2.1 (keras-js fixtures),
 * agreement with the forward/backward layers run by hand and with a per-step loop, Keras naming and
 * weight order, returnState / mergeMode / mask combinations, and second-order derivatives.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  activations,
  array,
  concatenate,
  flip,
  Input,
  jacrev,
  layers,
  Model,
  random,
  resetNames,
  Sequential,
  ShapeError,
  stack,
  Tensor,
  ValueError,
  vmap,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { fixtureTensor, kerasJsArrays } from "./helpers/kerasjs.js";

beforeEach(() => resetNames());

const GOLDEN = { rtol: 1e-5, atol: 5e-6 };
const hardSigmoid2 = activations.get("hard_sigmoid", "keras2");

describe("golden: Keras 2.1 Bidirectional (keras-js fixtures)", () => {
  const simple = (returnSequences: boolean) =>
    new layers.SimpleRNN({ units: 4, activation: "tanh", returnSequences });
  // Hand-translated from INDEX.json: the wrapped layer and merge_mode of each fixture.
  const table: [string, () => layers.RNN<boolean>, "concat" | "sum" | "mul" | "ave"][] = [
    ["SimpleRNN, sum", () => simple(false), "sum"],
    ["SimpleRNN, mul", () => simple(false), "mul"],
    ["SimpleRNN, concat", () => simple(false), "concat"],
    ["SimpleRNN, ave", () => simple(false), "ave"],
    ["SimpleRNN returnSequences, concat", () => simple(true), "concat"],
    [
      "GRU (Keras 2: reset before, hard_sigmoid) returnSequences, concat",
      () =>
        new layers.GRU({
          units: 4,
          activation: "tanh",
          recurrentActivation: hardSigmoid2,
          resetAfter: false,
          returnSequences: true,
        }),
      "concat",
    ],
    [
      "LSTM (hard_sigmoid) returnSequences, concat",
      () =>
        new layers.LSTM({
          units: 4,
          activation: "tanh",
          recurrentActivation: hardSigmoid2,
          returnSequences: true,
        }),
      "concat",
    ],
    ["SimpleRNN returnSequences, sum", () => simple(true), "sum"],
  ];
  table.forEach(([title, make, mergeMode], i) =>
    it(`wrappers.Bidirectional.${i}: ${title}`, () => {
      const c = kerasJsArrays(`wrappers.Bidirectional.${i}`);
      const x = fixtureTensor(c.inputs[0]);
      const bi = new layers.Bidirectional({ layer: make(), mergeMode });
      bi.call(x);
      expect(bi.getWeights().map((w) => w.shape)).toEqual(c.weights.map((w) => w.shape));
      bi.setWeights(c.weights.map((w) => fixtureTensor(w, false)));
      const y = bi.call(x) as Tensor;
      expect(y.shape).toEqual([1, ...c.expected.shape]);
      assertAllclose(y, fixtureTensor(c.expected), GOLDEN);
    }),
  );
});

describe("golden: Keras 2.1 TimeDistributed (keras-js fixtures)", () => {
  it("wrappers.TimeDistributed.0: Dense(4) over 3 steps of 6 features", () => {
    const c = kerasJsArrays("wrappers.TimeDistributed.0");
    const x = fixtureTensor(c.inputs[0]);
    const td = new layers.TimeDistributed({ layer: new layers.Dense({ units: 4 }) });
    td.call(x);
    td.setWeights(c.weights.map((w) => fixtureTensor(w, false)));
    assertAllclose(td.call(x), fixtureTensor(c.expected), GOLDEN);
  });

  it("wrappers.TimeDistributed.1: Conv2D(6, 3×3) over 5 frames of 4×4×2", () => {
    const c = kerasJsArrays("wrappers.TimeDistributed.1");
    const x = fixtureTensor(c.inputs[0]);
    const td = new layers.TimeDistributed({ layer: new layers.Conv2D({ filters: 6, kernelSize: [3, 3] }) });
    td.call(x);
    expect(td.getWeights().map((w) => w.shape)).toEqual([[3, 3, 2, 6], [6]]);
    td.setWeights(c.weights.map((w) => fixtureTensor(w, false)));
    const y = td.call(x);
    expect(y.shape).toEqual([1, 5, 2, 2, 6]);
    assertAllclose(y, fixtureTensor(c.expected), GOLDEN);
    expect(td.computeOutputShape([null, 5, 4, 4, 2])).toEqual([null, 5, 2, 2, 6]);
  });
});

/** A built Bidirectional(LSTM) with random weights, and plain LSTMs holding its two halves' weights. */
function biWithTwins(
  args: { returnSequences?: boolean; returnState?: boolean; mergeMode?: "concat" | null } = {},
) {
  const x = random.normal([2, 4, 3], { seed: 3 });
  const opts = {
    units: 2,
    returnSequences: args.returnSequences ?? false,
    returnState: args.returnState ?? false,
  };
  const bi = new layers.Bidirectional({
    layer: new layers.LSTM(opts),
    ...(args.mergeMode !== undefined ? { mergeMode: args.mergeMode } : {}),
  });
  bi.call(x);
  bi.setWeights(bi.getWeights().map((w, i) => random.normal(w.shape, { seed: 100 + i }).mul(0.6)));
  const fwd = new layers.LSTM({ ...opts, returnState: true, returnSequences: opts.returnSequences });
  const bwd = new layers.LSTM({ ...opts, returnState: true, goBackwards: true });
  fwd.call(x);
  bwd.call(x);
  fwd.setWeights(bi.getWeights().slice(0, 3));
  bwd.setWeights(bi.getWeights().slice(3));
  return { x, bi, fwd, bwd };
}

describe("Bidirectional", () => {
  it("names its copies forward_/backward_ and orders weights forward then backward", () => {
    const bi = new layers.Bidirectional({ layer: new layers.GRU({ units: 3, name: "enc" }) });
    bi.call(random.normal([1, 2, 4], { seed: 0 }));
    expect(bi.name).toBe("bidirectional");
    expect([bi.forwardLayer.name, bi.backwardLayer.name]).toEqual(["forward_enc", "backward_enc"]);
    expect([bi.forwardLayer.goBackwards, bi.backwardLayer.goBackwards]).toEqual([false, true]);
    expect(bi.weights.map((w) => w.name)).toEqual([
      "kernel",
      "recurrent_kernel",
      "bias",
      "kernel",
      "recurrent_kernel",
      "bias",
    ]);
    expect(bi.weights[0]).toBe(bi.forwardLayer.weights[0]);
    expect(bi.weights[3]).toBe(bi.backwardLayer.weights[0]);
    // A config saved from a Bidirectional already names its layer forward_…: no double prefix.
    const again = new layers.Bidirectional({ layer: new layers.GRU({ units: 3, name: "forward_enc" }) });
    expect([again.forwardLayer.name, again.backwardLayer.name]).toEqual([
      "forward_enc",
      "backward_forward_enc",
    ]);
  });

  it("equals the forward layer and the flipped backward layer, for every merge mode", () => {
    const { x, fwd, bwd } = biWithTwins({ returnSequences: true });
    const [yf] = fwd.call(x);
    const yb = flip(bwd.call(x)[0], 1);
    const expected: Record<string, Tensor> = {
      concat: concatenate([yf, yb], -1),
      sum: yf.add(yb),
      ave: yf.add(yb).div(2),
      mul: yf.mul(yb),
    };
    for (const mode of ["concat", "sum", "ave", "mul"] as const) {
      const bi = new layers.Bidirectional({
        layer: new layers.LSTM({ units: 2, returnSequences: true }),
        mergeMode: mode,
      });
      bi.call(x);
      bi.setWeights([...fwd.getWeights(), ...bwd.getWeights()]);
      assertAllclose(bi.call(x), expected[mode], { rtol: 1e-14, atol: 1e-15 });
    }
    const none = new layers.Bidirectional({
      layer: new layers.LSTM({ units: 2, returnSequences: true }),
      mergeMode: null,
    });
    none.call(x);
    none.setWeights([...fwd.getWeights(), ...bwd.getWeights()]);
    const out = none.call(x);
    expect(out.length).toBe(2);
    assertAllclose(out[0], yf, { rtol: 0, atol: 0 });
    assertAllclose(out[1], yb, { rtol: 0, atol: 0 });
  });

  it("returnState: [output, ...forward states, ...backward states]; mergeMode null puts both outputs first", () => {
    for (const mergeMode of ["concat", null] as const) {
      const { x, bi, fwd, bwd } = biWithTwins({ returnState: true, mergeMode });
      const out = bi.call(x) as Tensor[];
      const [yf, hf, cf] = fwd.call(x) as Tensor[];
      const [yb, hb, cb] = bwd.call(x) as Tensor[];
      const want =
        mergeMode === null ? [yf, yb, hf, cf, hb, cb] : [concatenate([yf, yb], -1), hf, cf, hb, cb];
      expect(out.length).toBe(want.length);
      out.forEach((t, i) => assertAllclose(t, want[i], { rtol: 0, atol: 0 }));
      expect(bi.computeOutputShape([null, 4, 3])).toEqual(
        mergeMode === null
          ? [
              [null, 2],
              [null, 2],
              [null, 2],
              [null, 2],
              [null, 2],
              [null, 2],
            ]
          : [
              [null, 4],
              [null, 2],
              [null, 2],
              [null, 2],
              [null, 2],
            ],
      );
      // Initial states: the first half go forward, the second half backward.
      const s = [0, 1, 2, 3].map((k) => random.normal([2, 2], { seed: 60 + k }));
      const withInit = bi.call(x, { initialState: s }) as Tensor[];
      const [yf2] = fwd.call(x, { initialState: s.slice(0, 2) }) as Tensor[];
      const [yb2] = bwd.call(x, { initialState: s.slice(2) }) as Tensor[];
      assertAllclose(withInit[0], mergeMode === null ? yf2 : concatenate([yf2, yb2], -1), {
        rtol: 0,
        atol: 0,
      });
      assertAllclose((bi.call([x, ...s]) as Tensor[])[0], withInit[0], { rtol: 0, atol: 0 });
      expect(() => bi.call(x, { initialState: s.slice(0, 3) })).toThrow(/odd number, 3/);
    }
  });

  it("a masked sequence: backward outputs are zero at masked steps (zeroOutputForMask), states carry", () => {
    const bi = new layers.Bidirectional({
      layer: new layers.GRU({ units: 2, returnSequences: true }),
      mergeMode: null,
    });
    expect([bi.forwardLayer.zeroOutputForMask, bi.backwardLayer.zeroOutputForMask]).toEqual([true, true]);
    const x = random.normal([2, 4, 3], { seed: 8 });
    const mask = array([
      [true, true, true, false],
      [false, true, true, true],
    ]);
    const [yf, yb] = bi.call(x, { mask });
    const f = yf.toArray() as number[][][];
    const b = yb.toArray() as number[][][];
    expect([f[0][3], b[0][3], f[1][0], b[1][0]]).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    // Unmasked steps equal the same layers run on the unpadded parts.
    const fwd = new layers.GRU({ units: 2, returnSequences: true });
    fwd.call(x);
    fwd.setWeights(bi.getWeights().slice(0, 3));
    assertAllclose(
      fwd
        .call(
          x.slice([
            [0, 1],
            [0, 3],
          ]),
        )
        .slice([0]),
      yf.slice([0, [0, 3]]),
      {
        rtol: 1e-14,
        atol: 1e-15,
      },
    );
    const bwd = new layers.GRU({ units: 2, returnSequences: true, goBackwards: true });
    bwd.call(x);
    bwd.setWeights(bi.getWeights().slice(3));
    const part = flip(
      bwd.call(
        x.slice([
          [1, 2],
          [1, 4],
        ]),
      ),
      1,
    ).slice([0]);
    assertAllclose(part, yb.slice([1, [1, 4]]), { rtol: 1e-14, atol: 1e-15 });
    expect(bi.computeMask(x, mask)).toEqual([mask, mask]);
    const last = new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }) });
    expect(last.forwardLayer.zeroOutputForMask).toBe(false);
    expect(last.computeMask(x, mask)).toBeNull();
  });

  it("backwardLayer option and Keras's consistency checks", () => {
    const bi = new layers.Bidirectional({
      layer: new layers.LSTM({ units: 2, returnSequences: true }),
      backwardLayer: new layers.GRU({ units: 3, returnSequences: true, goBackwards: true, name: "back" }),
    });
    const y = bi.call(random.normal([2, 5, 4], { seed: 1 }));
    expect(y.shape).toEqual([2, 5, 5]);
    expect(bi.backwardLayer.name).toBe("back");
    expect(bi.weights.map((w) => w.shape)).toEqual([[4, 8], [2, 8], [8], [4, 9], [3, 9], [2, 9]]);
    expect(
      () =>
        new layers.Bidirectional({
          layer: new layers.LSTM({ units: 2 }),
          backwardLayer: new layers.LSTM({ units: 2 }),
          name: "b",
        }),
    ).toThrow(/Bidirectional 'b': the forward and backward layers must have different goBackwards/);
    expect(
      () =>
        new layers.Bidirectional({
          layer: new layers.LSTM({ units: 2 }),
          backwardLayer: new layers.LSTM({ units: 2, goBackwards: true, returnSequences: true }),
        }),
    ).toThrow(/must have the same returnSequences/);
    expect(() => new layers.Bidirectional({ layer: new layers.Dense({ units: 2 }), name: "d" })).toThrow(
      /Bidirectional 'd': layer must be a sequence layer .* got Dense 'dense'/,
    );
    expect(
      () => new layers.Bidirectional({ layer: new layers.LSTM({ units: 2 }), mergeMode: "max" as never }),
    ).toThrow(ValueError);
  });

  it("getConfig holds both layers; fromConfig takes them as instances", () => {
    const bi = new layers.Bidirectional({
      layer: new layers.LSTM({ units: 2 }),
      mergeMode: "sum",
      name: "bi",
    });
    const config = bi.getConfig();
    expect(config).toMatchObject({
      name: "bi",
      mergeMode: "sum",
      layer: { className: "LSTM", config: { name: "forward_lstm", units: 2, goBackwards: false } },
      backwardLayer: { className: "LSTM", config: { name: "backward_lstm", units: 2, goBackwards: true } },
    });
    const copy = layers.Bidirectional.fromConfig({
      ...config,
      layer: layers.LSTM.fromConfig((config.layer as { config: Record<string, unknown> }).config),
      backwardLayer: layers.LSTM.fromConfig(
        (config.backwardLayer as { config: Record<string, unknown> }).config,
      ),
    });
    expect(copy.getConfig()).toEqual(config);
    expect(() => layers.Bidirectional.fromConfig(config)).toThrow(/layer must be a layer instance/);
  });

  it("works in Sequential and functional models (closed-form output shapes)", () => {
    const model = new Sequential([
      new layers.Bidirectional({
        layer: new layers.LSTM({ units: 3, returnSequences: true }),
        inputShape: [5, 2],
      }),
      new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), mergeMode: "ave" }),
      new layers.Dense({ units: 1 }),
    ]);
    expect([...model.outputShapes.values()]).toEqual([
      [null, 5, 6],
      [null, 2],
      [null, 1],
    ]);
    expect(model.call(random.normal([4, 5, 2], { seed: 2 })).shape).toEqual([4, 1]);
    const input = Input({ shape: [5, 2] });
    const y = new layers.Bidirectional({ layer: new layers.SimpleRNN({ units: 3 }), mergeMode: null }).apply(
      input,
    );
    expect((y as unknown as { shape: unknown }[]).map((t) => t.shape)).toEqual([
      [null, 3],
      [null, 3],
    ]);
    const m = new Model({ inputs: input, outputs: y });
    expect(m.call(random.normal([2, 5, 2], { seed: 3 })).map((t) => t.shape)).toEqual([
      [2, 3],
      [2, 3],
    ]);
  });

  it("is differentiable to second order and works under vmap(jacrev)", () => {
    const { x, bi } = biWithTwins({ returnSequences: true });
    checkGrads((s: Tensor) => bi.call(s), [x], { order: 2 });
    const f = (s: Tensor) => (bi.call(s.reshape([1, 4, 3])) as Tensor).sum({ axis: 1 }).reshape([4]);
    const batched = vmap(jacrev(f))(x);
    const loop = stack([0, 1].map((n) => jacrev(f)(x.slice([n]))));
    assertAllclose(batched, loop, { rtol: 1e-12, atol: 1e-14 });
  });
});

describe("TimeDistributed", () => {
  it("equals the wrapped layer applied at every step, and shares one set of weights", () => {
    const dense = new layers.Dense({ units: 3, activation: "tanh" });
    const td = new layers.TimeDistributed({ layer: dense });
    const x = random.normal([2, 4, 5], { seed: 1 });
    const y = td.call(x);
    expect(y.shape).toEqual([2, 4, 3]);
    const loop = stack(
      [0, 1, 2, 3].map((t) => dense.call(x.slice([null, t]))),
      1,
    );
    assertAllclose(y, loop, { rtol: 1e-15, atol: 0 });
    expect(td.weights).toEqual(dense.weights);
    expect(td.name).toBe("time_distributed");
    expect(td.computeOutputShape([null, 4, 5])).toEqual([null, 4, 3]);
  });

  it("passes a mask through, builds in Sequential after an RNN, and is differentiable", () => {
    const model = new Sequential([
      new layers.LSTM({ units: 3, returnSequences: true, inputShape: [4, 2] }),
      new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
    ]);
    expect([...model.outputShapes.values()].at(-1)).toEqual([null, 4, 2]);
    const td = model.layers[1];
    const mask = array([[true, false, true, true]]);
    expect(td.computeMask(random.normal([1, 4, 3], { seed: 0 }), mask)).toBe(mask);
    const x = random.normal([2, 4, 2], { seed: 5 });
    checkGrads((s: Tensor) => model.call(s), [x], { order: 2 });
  });

  it("rejects inputs without a time axis and non-layers", () => {
    const td = new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }), name: "td" });
    expect(() => td.call(array([[1, 2]]))).toThrow(ShapeError);
    expect(() => td.call(array([[1, 2]]))).toThrow(/TimeDistributed 'td': expected input of rank ≥ 3/);
    expect(() => new layers.TimeDistributed({ layer: {} as never })).toThrow(ValueError);
  });

  it("getConfig holds the layer; fromConfig takes it as an instance", () => {
    const td = new layers.TimeDistributed({ layer: new layers.Dense({ units: 2, name: "d" }), name: "td" });
    const config = td.getConfig();
    expect(config).toMatchObject({
      name: "td",
      layer: { className: "Dense", config: { name: "d", units: 2 } },
    });
    const copy = layers.TimeDistributed.fromConfig({
      ...config,
      layer: layers.Dense.fromConfig((config.layer as { config: Record<string, unknown> }).config),
    });
    expect(copy.getConfig()).toEqual(config);
  });
});
