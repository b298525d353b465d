/**
 * `derivatives()` and `analyze()` share one per-sample engine: the same row-independence probe,
 * the same output naming (unique by construction, tf.keras style), the same positional-input
 * rules, the same non-finite counts and the same errors for the common mistakes.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  analyze,
  array,
  derivatives,
  grad,
  Input,
  initializers,
  jacrev,
  layers,
  loadModel,
  Model,
  predict,
  random,
  resetNames,
  saveKerasBytes,
  Sequential,
  setWarningHandler,
  ShapeError,
  Tensor,
  ValueError,
  vmap,
} from "../src/index.js";
import { assertAllclose } from "../src/testing/index.js";

beforeEach(() => resetNames());

const hidden = () =>
  new Sequential([
    new layers.Dense({
      units: 1,
      inputShape: [2],
      kernelInitializer: initializers.constant(0.1),
      biasInitializer: initializers.constant(0),
    }),
  ]);

/** The README's (N,1)·(N,) trap, with no computeOutputShape to warn about it. */
class Trap extends Model {
  constructor(readonly h: Model) {
    super({ inputNames: ["referencePrices", "hiddenInputs"] });
  }
  override call([prices, features]: Tensor[]) {
    return (this.h.call(features) as Tensor).add(1).mul(prices);
  }
}

/** A correct pricing model that declares no input names: called positionally, as in Keras. */
class Unnamed extends Model {
  constructor(readonly h: Model) {
    super();
  }
  override call([prices, features]: Tensor[]) {
    return (this.h.call(features) as Tensor).add(1).mul(prices.reshape([-1, 1]));
  }
}

const prices = random.uniform([10], { seed: 11, low: 90, high: 110 });
const features = random.normal([10, 2], { seed: 12 });

const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
};
/** The message without the entry point's name in front ("derivatives: …" vs "analyze: …"). */
const body = (m: string) => m.replace(/^\w+: /, "");

describe("a target that mixes rows", () => {
  it("is refused by derivatives() and analyze() alike, with the same message", () => {
    const seen: string[] = [];
    const prev = setWarningHandler((m) => seen.push(m));
    try {
      const m = new Trap(hidden());
      expect(m.predict([prices, features]).shape).toEqual([10, 10]);
      const data = { referencePrices: prices, hiddenInputs: features };
      expect(() => derivatives(m, data)).toThrow(ShapeError);
      expect(() => analyze(m, data)).toThrow(ShapeError);
      const a = messageOf(() => derivatives(m, data));
      const b = messageOf(() => analyze(m, data));
      expect(a).toMatch(/^derivatives: /);
      expect(a).toMatch(/mixes samples.*\(N,1\) tensor times an \(N,\) tensor/);
      expect(body(a)).toBe(body(b));
      expect(body(messageOf(() => predict(m, data)))).toBe(body(a));
    } finally {
      setWarningHandler(prev);
    }
  });

  it("a batch-mixing function (mean over the batch) is refused by both with the same message", () => {
    const f = ({ x }: Record<string, Tensor>) =>
      x
        .sub(x.mean({ axis: 0 }))
        .square()
        .sum({ axis: 1 });
    const x = random.normal([6, 3], { seed: 3 });
    const a = messageOf(() => derivatives(f, { x }));
    const b = messageOf(() => analyze(f, { x }));
    expect(a).toMatch(/not row-independent/);
    expect(body(a)).toBe(body(b));
  });
});

describe("positional inputs", () => {
  it("a model without declared input names takes [prices, features], keyed input_1, input_2", () => {
    const m = new Unnamed(hidden());
    const d = derivatives(m, [prices, features], { order: 2 });
    expect(d.inputNames).toEqual(["input_1", "input_2"]);
    const out = d.outputNames[0];
    const h = features.sum({ axis: 1 }).mul(0.1);
    assertAllclose(d.jacobian[out].input_1, h.add(1), { rtol: 1e-14 });
    assertAllclose(d.jacobian[out].input_2, prices.mul(0.1).reshape([10, 1]).broadcastTo([10, 2]), {
      rtol: 1e-14,
    });
    assertAllclose(
      d.hessian![out].input_1.input_2,
      array(new Float64Array(20).fill(0.1), { shape: [10, 2] }),
      {
        rtol: 1e-14,
      },
    );
    const r = analyze(m, [prices, features], { attributionSamples: 0, verifySamples: 0, dgsm: false });
    expect(r.inputs.names).toEqual(["input_1", "input_2"]);
  });

  it("a model with declared names takes a positional list in declaration order", () => {
    class Named extends Unnamed {
      constructor(h: Model) {
        super(h);
        Object.defineProperty(this, "inputNames", { value: ["p", "f"] });
      }
    }
    const d = derivatives(new Named(hidden()), [prices, features]);
    expect(d.inputNames).toEqual(["p", "f"]);
  });

  it("a single array works for a single-input model, as a tensor, nested numbers or a typed array", () => {
    const model = new Sequential([
      new layers.Dense({ units: 1, inputShape: [2], kernelInitializer: initializers.constant(0.5) }),
    ]);
    const X = [
      [1, 2],
      [3, 4],
    ];
    const a = derivatives(model, array(X));
    const b = derivatives(model, X);
    const name = model.inputNames[0];
    expect(a.inputNames).toEqual([name]);
    assertAllclose(
      b.jacobian[a.outputNames[0]][name],
      array([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
      { rtol: 0 },
    );
    const f = ({ input }: Record<string, Tensor>) => input.square();
    const c = derivatives(f, new Float64Array([1, 2, 3]));
    assertAllclose(c.jacobian.output.input, array([2, 4, 6]), { rtol: 0 });
  });

  it("a wrong number of positional inputs names what the model takes", () => {
    const m = new Sequential([new layers.Dense({ units: 1, inputShape: [2] })]);
    expect(() => derivatives(m, [features, features])).toThrow(/2 positional inputs.*takes 1 input/);
  });
});

describe("output names are unique by construction (tf.keras: name, name_1, name_2, …)", () => {
  function seq2seq() {
    const x = Input({ shape: [4, 2], name: "decoder_input" });
    const [seq, h, c] = new layers.LSTM({
      units: 3,
      returnState: true,
      name: "decoder_lstm",
      kernelInitializer: initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: initializers.glorotUniform({ seed: 2 }),
    }).apply(x) as ReturnType<typeof Input>[];
    const y = new layers.Dense({
      units: 1,
      name: "decoder_output",
      kernelInitializer: initializers.glorotUniform({ seed: 3 }),
    }).apply(seq);
    return new Model({ inputs: x, outputs: [y, h, c] });
  }

  it("a saved and reloaded LSTM model returning [output, h, c] keeps h and c apart", async () => {
    const model = await loadModel(saveKerasBytes(seq2seq()));
    expect(model.outputNames).toEqual(["decoder_output", "decoder_lstm", "decoder_lstm_1"]);
    const x = random.normal([3, 4, 2], { seed: 4 });
    const [, h, c] = model.call(x) as Tensor[];
    const d = derivatives(model, x);
    expect(d.outputNames).toEqual(["decoder_output", "decoder_lstm", "decoder_lstm_1"]);
    assertAllclose(d.values.decoder_lstm, h, { rtol: 1e-14 });
    assertAllclose(d.values.decoder_lstm_1, c, { rtol: 1e-14 });
    const name = model.inputNames[0];
    for (let n = 0; n < 3; n++) {
      const one = (i: number) => (s: Tensor) =>
        (model.call(s.reshape([1, 4, 2])) as Tensor[])[i].reshape([3]);
      assertAllclose(d.jacobian.decoder_lstm[name].slice([n]), jacrev(one(1))(x.slice([n])), {
        rtol: 1e-12,
      });
      assertAllclose(d.jacobian.decoder_lstm_1[name].slice([n]), jacrev(one(2))(x.slice([n])), {
        rtol: 1e-12,
      });
    }
    const r = analyze(model, { [name]: x }, { attributionSamples: 0, verifySamples: 0, dgsm: false });
    expect(r.outputs.names).toEqual(["decoder_output", "decoder_lstm", "decoder_lstm_1"]);
  });

  it("a subclass declaring repeated output names, or a clash with a later name, still gets unique keys", () => {
    const f = ({ x }: Record<string, Tensor>) => [x, x.square(), x.mul(3)];
    const target = { inputNames: ["x"], outputNames: ["y", "y", "y_1"], call: f as never };
    const d = derivatives(target, { x: array([1, 2]) });
    // tf.keras's rule, in order: the second "y" becomes y_1, so the declared "y_1" becomes y_1_1.
    expect(d.outputNames).toEqual(["y", "y_1", "y_1_1"]);
    assertAllclose(d.jacobian.y_1.x, array([2, 4]), { rtol: 0 });
    assertAllclose(d.jacobian.y_1_1.x, array([3, 3]), { rtol: 0 });
  });
});

describe("non-finite counts", () => {
  it("derivatives() and analyze() count non-finite input rows and values, outputs and derivatives", () => {
    const f = ({ x }: Record<string, Tensor>) => x.log().sum({ axis: 1 });
    const x = array([
      [1, 2],
      [NaN, 1],
      [0, 3],
      [Infinity, NaN],
    ]);
    const d = derivatives(f, { x });
    // y = Σ log x_j, ∂y/∂x_j = 1/x_j: the outputs of rows 1, 2, 3 are NaN, −Inf, NaN; the
    // derivatives 1/NaN, 1/0 = Inf and 1/NaN are not finite, while 1/1, 1/3 and 1/Inf = 0 are.
    expect(d.nonFinite).toEqual({ inputRows: 2, inputValues: 3, outputValues: 3, derivativeValues: 3 });
    expect(Number.isNaN(d.values.output.data()[1])).toBe(true);
    expect(Array.from(d.jacobian.output.x.data())).toEqual([1, 0.5, NaN, 1, Infinity, 1 / 3, 0, NaN]);
    const p = predict(f, { x }, { batchSize: 3 });
    expect(p.nonFinite).toEqual({ inputRows: 2, inputValues: 3, outputValues: 3, derivativeValues: 0 });
    expect(Array.from(p.values.output.data())).toEqual([Math.log(2), NaN, -Infinity, NaN]);
    const r = analyze(f, { x }, { attributionSamples: 0, verifySamples: 0, dgsm: false });
    expect(r.meta.nonFinite).toEqual({ inputRows: 2, inputValues: 3, outputValues: 3, derivativeValues: 3 });
  });

  it("all zero on finite data", () => {
    const d = derivatives(({ x }: Record<string, Tensor>) => x.square(), { x: array([1, 2]) });
    expect(d.nonFinite).toEqual({ inputRows: 0, inputValues: 0, outputValues: 0, derivativeValues: 0 });
  });
});

describe("errors for the common mistakes", () => {
  it("a Promise where a model is expected: did you forget await loadModel(...)?", () => {
    const pending = Promise.resolve(new Sequential([new layers.Dense({ units: 1, inputShape: [2] })]));
    for (const f of [
      () => derivatives(pending as never, { x: features }),
      () => analyze(pending as never, { x: features }),
    ])
      expect(f).toThrow(/Promise.*forget `await loadModel\(\.\.\.\)`/);
  });

  it("a Promise where data is expected is named too", () => {
    const f = ({ x }: Record<string, Tensor>) => x;
    expect(() => derivatives(f, { x: Promise.resolve(features) as never })).toThrow(
      /'x' is a Promise.*await/,
    );
    expect(() => derivatives(f, Promise.resolve(features) as never)).toThrow(/Promise.*await/);
  });

  it("a wrong input shape is reported as the user passed it", () => {
    const x = Input({ shape: [3] });
    const model = new Model({ inputs: x, outputs: new layers.Dense({ units: 1 }).apply(x) });
    const wrong = random.normal([10, 5], { seed: 1 });
    for (const f of [
      () => derivatives(model, wrong),
      () => analyze(model, { [model.inputNames[0]]: wrong }),
    ]) {
      const m = messageOf(f);
      expect(m).toMatch(/\[10, 5\].*expects \(None, 3\)/);
      expect(m).not.toMatch(/\(1, 5\)|\[1, ?5\]/);
    }
  });

  it("a plain JS array in a model call is accepted (or explained), never 'x.mul is not a function'", () => {
    const model = new Sequential([
      new layers.Dense({ units: 1, inputShape: [2], kernelInitializer: initializers.constant(1) }),
    ]);
    const y = model.call([[1, 2]] as never);
    expect(Array.from(y.data())).toEqual([3]);
  });

  it("non-array data names the input", () => {
    expect(() => derivatives(({ x }: Record<string, Tensor>) => x, { x: "abc" as never })).toThrow(
      ValueError,
    );
    expect(() => derivatives(({ x }: Record<string, Tensor>) => x, { x: "abc" as never })).toThrow(/'x'/);
  });
});

describe("shape errors from inside a target name the data as passed", () => {
  it("a Sequential given [10, 5] for a Dense on 2 features says [10, 5]", () => {
    const model = new Sequential([new layers.Dense({ units: 1, inputShape: [2] })]);
    const wrong = random.normal([10, 5], { seed: 2 });
    for (const f of [() => derivatives(model, wrong), () => analyze(model, wrong)]) {
      expect(f).toThrow(ShapeError);
      expect(messageOf(f)).toMatch(/passed as '[a-z_]+' \[10, 5\]\)/);
    }
  });
});

describe("plain JS arrays given to transforms", () => {
  it("grad of a list of numbers says it is a list of scalars and to call array()", () => {
    const f = (x: Tensor) => x.mul(x).sum();
    expect(() => grad(f)([1, 2] as never)).toThrow(ValueError);
    expect(() => grad(f)([1, 2] as never)).toThrow(
      /argument 0 is a JS array of numbers.*array\(\[\.\.\.\]\)/,
    );
    // Typed arrays are one tensor already.
    assertAllclose(grad(f)(new Float64Array([1, 2]) as never), array([2, 4]), { rtol: 0 });
  });

  it("vmap over nested numbers says the same", () => {
    expect(() =>
      vmap((x: Tensor) => x.sum())([
        [1, 2],
        [3, 4],
      ] as never),
    ).toThrow(/JS array of numbers.*array\(/);
  });
});

describe("model.call and model.predict", () => {
  const model = () =>
    new Sequential([
      new layers.Dense({ units: 1, inputShape: [2], kernelInitializer: initializers.constant(1) }),
    ]);

  it("a Promise input asks for await", () => {
    const p = Promise.resolve(array([[1, 2]]));
    expect(() => model().call(p as never)).toThrow(/Promise.*forget `await`/);
    expect(() => model().predict(p as never)).toThrow(/Promise.*forget `await`/);
  });

  it("predict reports a wrong shape as passed, not as the batch", () => {
    const wrong = random.normal([100, 5], { seed: 3 });
    expect(() => model().predict(wrong, { batchSize: 32 })).toThrow(/input\(s\) \[100, 5\]/);
  });
});
