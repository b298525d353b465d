/**
 * One computation, run twice by test/browser.library.test.ts: in Node (this module imported
 * through vitest's "gradlens" alias) and in chromium (bundled by esbuild with "gradlens" left
 * external and mapped by an import map to the browser bundle of src/index.ts). Only model
 * sources differ: file paths in Node, URLs / bytes / File in the browser. The result is a plain
 * JSON tree (numbers, strings, booleans, null) so the two runs can be compared number by number.
 */
import {
  abs,
  analyze,
  array,
  concatenate,
  derivatives,
  formatAnalysis,
  grad,
  hessian,
  jacfwd,
  jacrev,
  loadModel,
  logsumexp,
  matmul,
  maximum,
  mean,
  random,
  saveKerasBytes,
  setWarningHandler,
  sigmoid,
  sin,
  slice,
  softmax,
  sqrt,
  square,
  sum,
  tanh,
  transpose,
  valueAndGrad,
  vmap,
  type Derivatives,
  type Model,
  type ModelSource,
  type SensitivityResult,
  type Tensor,
} from "gradlens";

/** A JSON value, as the scenario returns it (and playwright carries it out of the page). */
export type Json = number | string | boolean | null | Json[] | { [k: string]: Json };

export interface ScenarioSources {
  /** The Keras 3 FlowNet model (test/fixtures/real/keras3/flownet/final_model.keras). */
  keras: ModelSource;
  /** The rows of its golden.json input ([64, 2]). */
  kerasGoldenInput: number[][];
  /** The TF.js abalone model.json; its shard is read from beside it. */
  tfjs: ModelSource;
  /** The bytes of a legacy Keras 2.1.3 LSTM `.h5`. */
  h5: ArrayBuffer;
}

/** A tensor as JSON: shape and values (float64 values survive JSON exactly). */
const t = (x: Tensor): Json => ({ shape: [...x.shape], data: Array.from(x.data() as ArrayLike<number>) });

const record = <V>(obj: Record<string, V>, f: (v: V) => Json): Json =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v)]));

function derivativesJson(d: Derivatives): Json {
  return {
    inputNames: d.inputNames,
    outputNames: d.outputNames,
    values: record(d.values, t),
    jacobian: record(d.jacobian, (byIn) => record(byIn, t)),
    hessian: d.hessian ? record(d.hessian, (a) => record(a, (b) => record(b, t))) : null,
  };
}

const fileInfo = (m: Model): Json => {
  const { format, kerasVersion, kerasMajor, activationFlavor } = m.fileInfo!;
  return { format, kerasVersion: kerasVersion ?? null, kerasMajor, activationFlavor };
};

const predict = (m: Model, x: Tensor): Tensor => m.call(x) as Tensor;

/**
 * Only IEEE-754 arithmetic (+ − × ÷ √, comparisons): uniform random numbers, a matmul big enough
 * for the WebAssembly GEMM (m·n·k ≥ 4096), and grad / jacrev / jacfwd / hessian / vmap of rational
 * functions. These results are the same to the bit on every engine that runs the same kernels.
 */
function arithmetic(): Json {
  const u = (shape: number[], seed: number) => random.uniform(shape, { seed, low: -1, high: 1 });
  const a = u([6, 5], 11).mul(2);
  const b = u([5, 4], 12);
  const W = u([3, 3], 21);
  const V = u([4, 3], 22);
  const f = (x: Tensor): Tensor =>
    sum(square(matmul(W, x)).div(x.mul(x).add(1))).add(sum(sqrt(x.mul(x).add(2)))); // R^3 → R
  const g = (x: Tensor): Tensor =>
    matmul(V, x)
      .mul(sum(x.mul(x)))
      .div(sum(abs(x)).add(1)); // R^3 → R^4
  const x0 = array([0.3, -1.2, 0.8]);
  const X = u([5, 3], 23).mul(2);
  const [value, gradient] = valueAndGrad(f)(x0);
  return {
    a: t(a),
    matmul: t(matmul(a, b)),
    bigMatmul: t(matmul(u([48, 40], 13), u([40, 32], 14))),
    elementwise: t(
      a
        .mul(3)
        .add(1)
        .div(a.mul(a).add(0.5))
        .sub(sqrt(abs(a))),
    ),
    reduce: t(mean(maximum(a, 0.25), { axis: 0 })),
    concatSlice: t(slice(concatenate([a, transpose(a.slice([[0, 5]]))], 0), [[2, 9]])),
    value: t(value),
    grad: t(grad(f)(x0)),
    valueAndGrad: t(gradient),
    jacrev: t(jacrev(g)(x0)),
    jacfwd: t(jacfwd(g)(x0)),
    hessian: t(hessian(f)(x0)),
    vmapGrad: t(vmap(grad(f))(X)),
    vmapHessian: t(vmap(hessian(f))(X)),
    vmapJacrev: t(vmap(jacrev(g))(X)),
  };
}

/**
 * The same with elementary functions (tanh, exp, sin, softmax, normal random numbers): these
 * call the engine's Math.exp, Math.log, Math.sin…, which ECMAScript leaves approximate, so two
 * engines may differ in the last bit.
 */
function elementary(): Json {
  const a = random.normal([6, 5], { seed: 31 });
  const ab = matmul(a, random.uniform([5, 4], { seed: 32, low: -1, high: 1 }));
  const W = random.normal([3, 3], { seed: 33, std: 0.7 });
  const V = random.normal([4, 3], { seed: 34, std: 0.7 });
  const f = (x: Tensor): Tensor => sum(tanh(matmul(W, x)).mul(x.exp())).add(sum(x.mul(x).mul(sin(x))));
  const g = (x: Tensor): Tensor => tanh(matmul(V, x)).mul(sum(x.mul(x))); // R^3 → R^4
  const x0 = array([0.3, -1.2, 0.8]);
  const X = random.normal([5, 3], { seed: 35 });
  return {
    a: t(a),
    tanhSin: t(tanh(ab).mul(sin(ab.mul(3)))),
    softmax: t(softmax(ab, -1)),
    logsumexp: t(logsumexp(ab, { axis: 0 })),
    sigmoidMean: t(mean(sigmoid(a), { axis: 1 })),
    expPow: t(a.exp().add(1).pow(2.5)),
    grad: t(grad(f)(x0)),
    jacrev: t(jacrev(g)(x0)),
    hessian: t(hessian(f)(x0)),
    vmapGrad: t(vmap(grad(f))(X)),
    vmapHessian: t(vmap(hessian(f))(X)),
    vmapJacrev: t(vmap(jacrev(g))(X)),
  };
}

/**
 * Paths (in the JSON) of numbers that measure rounding error — finite-difference check errors,
 * Taylor what-if errors, Integrated Gradients completeness residuals: they change by their own size when an input moves by one ulp.
 */
export const ROUNDING_NOISE =
  /\.(maxAbsError|maxRelError|firstOrderError|secondOrderError|completenessDelta|maxAbsCompletenessDelta)\b/;

/** A copy of `j` with the numbers under ROUNDING_NOISE paths set to 0. */
function zeroNoise(j: Json, at = "$"): Json {
  if (typeof j === "number") return ROUNDING_NOISE.test(at) ? 0 : j;
  if (Array.isArray(j)) return j.map((v, i) => zeroNoise(v, `${at}[${i}]`));
  if (j !== null && typeof j === "object")
    return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, zeroNoise(v, `${at}.${k}`)]));
  return j;
}

/** The README's pricing function around a hidden MLP, analysed end to end (small N). */
function pricing(): { json: Json; text: string } {
  const W1 = random.normal([4, 16], { seed: 61, std: 0.3 });
  const W2 = random.normal([16, 1], { seed: 62, std: 0.05 });
  const fn = ({ price, features }: Record<string, Tensor>) =>
    matmul(tanh(matmul(features, W1)), W2)
      .add(1)
      .mul(price.reshape([-1, 1]));
  const data = {
    price: random.uniform([300], { seed: 63, low: 80, high: 120 }),
    features: random.normal([300, 4], { seed: 64 }),
  };
  const result: SensitivityResult = analyze(fn, data, {
    featureNames: { features: ["moneyness", "maturity", "vol", "rate"] },
    finance: { price: "price" },
    whatif: [{ name: "price +1%", shock: { price: { relative: 0.01 } } }],
    keepPerSample: 20,
  });
  // Timings are the one part that differs from run to run.
  const timingsMs = Object.fromEntries(Object.keys(result.meta.timingsMs).map((k) => [k, 0]));
  const json = JSON.parse(JSON.stringify({ ...result, meta: { ...result.meta, timingsMs } })) as Json;
  // The text is compared whole, so its rounding-error columns are zeroed.
  return { json, text: formatAnalysis(zeroNoise(json) as unknown as SensitivityResult) };
}

/**
 * Everything, in a fixed order (model loading is async; the computation itself is synchronous
 * and seeded, so both runs see the same numbers). Model warnings are returned, not printed.
 */
export async function runScenario(src: ScenarioSources): Promise<{ [k: string]: Json }> {
  const warnings: string[] = [];
  const previous = setWarningHandler((m) => warnings.push(m));
  try {
    return { ...(await compute(src)), warnings };
  } finally {
    setWarningHandler(previous);
  }
}

async function compute(src: ScenarioSources): Promise<{ [k: string]: Json }> {
  const out: { [k: string]: Json } = { arithmetic: arithmetic(), elementary: elementary() };

  const keras = await loadModel(src.keras);
  const xg = array(src.kerasGoldenInput);
  out.keras = {
    fileInfo: fileInfo(keras),
    golden: t(predict(keras, xg)),
    derivatives: derivativesJson(derivatives(keras, xg.slice([[0, 6]]), { order: 2 })),
  };

  const tfjs = await loadModel(src.tfjs);
  const xt = random.uniform([7, 8], { seed: 41, low: 0, high: 1 });
  out.tfjs = {
    fileInfo: fileInfo(tfjs),
    predict: t(predict(tfjs, xt)),
    derivatives: derivativesJson(derivatives(tfjs, xt, { order: 2 })),
  };

  const h5 = await loadModel(src.h5);
  const fromFile = await loadModel(new File([src.h5], "lstm_tensorflow_2.h5"));
  const xs = random.uniform([3, 4, 1], { seed: 51, low: -1, high: 1 });
  // Saved as Keras 3 bytes (no filesystem) and loaded back: the round trip is exact.
  const saved = await h5.save({ bytes: true });
  const reloaded = await loadModel(saved);
  out.h5 = {
    fileInfo: fileInfo(h5),
    fileFileInfo: fileInfo(fromFile),
    predict: t(predict(h5, xs)),
    predictFromFile: t(predict(fromFile, xs)),
    derivatives: derivativesJson(derivatives(h5, xs)),
    savedIsZip: saved[0] === 0x50 && saved[1] === 0x4b,
    saveKerasBytesIsZip: saveKerasBytes(h5)[0] === 0x50,
    reloadedFileInfo: fileInfo(reloaded),
    reloadedPredict: t(predict(reloaded, xs)),
  };

  const p = pricing();
  out.analyze = p.json;
  out.analyzeText = p.text;
  return out;
}
