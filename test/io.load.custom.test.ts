/**
 * Custom layers: keras3/kdp/test_model.keras (Keras 3.9.1) holds a `DistributionAwareEncoder` from
 * keras-data-processor (kdp/layers/distribution_aware_encoder_layer.py and
 * distribution_transform_layer.py, commit 519bb06). Below is a TS re-implementation of its
 * inference path, registered with `registerLayer`; the model then loads with its real weights —
 * including the encoder's own int32 variable and its two sub-layers' groups
 * (`layers/distribution_aware_encoder/{vars, distribution_transform/vars, projection/vars}`) —
 * and agrees with an independent forward pass computed from the weights file.
 *
 * Inference semantics followed (training=False, the variables hold what training detected):
 * - DistributionTransformLayer(transform_type="auto") applies the transform whose index is in
 *   `selected_transform_idx` (index into none, log, sqrt, box-cox, yeo-johnson, arcsinh,
 *   cube-root, logit, quantile, robust-scale, min-max) with `selected_lambda`. (Keras itself
 *   re-selects on the very first call of a freshly loaded layer, `not self._is_initialized`; the
 *   stored choice is what the trained model used.) Here: 5 = arcsinh.
 * - DistributionAwareEncoder: transform, then (detect_periodicity and a periodic distribution) sin/cos
 *   features, then the ReLU `projection` Dense to embedding_dim. Here detect_periodicity is false.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  array,
  clip,
  concatenate,
  Layer,
  layers,
  maximum,
  type CallArgs,
  type ShapeTree,
  type SymbolicShape,
  type Tensor,
  type Weight,
} from "../src/index.js";
import { openHdf5 } from "../src/io/containers/hdf5.js";
import {
  loadModel,
  registerLayer,
  saveKerasBytes,
  unregisterLayer,
  UnsupportedLayerError,
  type LayerBuildContext,
} from "../src/io/index.js";
import { readZip } from "../src/io/containers/zip.js";
import { checkGrads } from "../src/testing/index.js";
import { fixturePath, seededInputs } from "./helpers/realModels.js";

const FILE = fixturePath("keras3/kdp/test_model.keras");

const TRANSFORMS = [
  "none",
  "log",
  "sqrt",
  "box-cox",
  "yeo-johnson",
  "arcsinh",
  "cube-root",
  "logit",
  "quantile",
  "robust-scale",
  "min-max",
] as const;

const DISTRIBUTIONS = [
  "normal",
  "heavy_tailed",
  "multimodal",
  "uniform",
  "exponential",
  "log_normal",
  "discrete",
  "periodic",
  "sparse",
  "beta",
  "gamma",
  "poisson",
  "cauchy",
  "zero_inflated",
  "bounded",
  "ordinal",
];

/** kdp DistributionTransformLayer, inference with the stored (auto-selected) transform. */
class DistributionTransformLayer extends Layer {
  static override className = "DistributionTransformLayer";
  selectedTransformIdx!: Weight;
  selectedLambda!: Weight;
  constructor(
    readonly opts: {
      name: string;
      transformType: string;
      epsilon: number;
      minValue?: number;
      maxValue?: number;
    },
  ) {
    super({ name: opts.name });
  }

  override build(): void {
    if (this.opts.transformType === "auto") {
      this.selectedTransformIdx = this.addWeight("selected_transform_idx", [1], "zeros", {
        trainable: false,
        dtype: "int32",
      });
      this.selectedLambda = this.addWeight("selected_lambda", [1], "zeros", { trainable: false });
    }
    this.built = true;
  }

  call(x: Tensor): Tensor {
    const auto = this.opts.transformType === "auto";
    const name = auto ? TRANSFORMS[this.selectedTransformIdx.value.item()] : this.opts.transformType;
    const lambda = auto ? this.selectedLambda.value.item() : 0;
    const eps = this.opts.epsilon;
    switch (name) {
      case "none":
        return x;
      case "log":
        return x.add(eps).log();
      case "sqrt":
        return maximum(x, 0).add(eps).sqrt();
      case "box-cox": {
        const p = maximum(x, eps);
        return Math.abs(lambda) < eps ? p.log() : p.pow(lambda).sub(1).div(lambda);
      }
      case "arcsinh":
        return x.add(x.square().add(1).sqrt()).log();
      case "logit": {
        const c = clip(x, eps, 1 - eps);
        return c.div(c.neg().add(1)).log();
      }
      case "min-max": {
        const lo = this.opts.minValue ?? 0;
        const hi = this.opts.maxValue ?? 1;
        return x.sub(lo).div(Math.abs(hi - lo) < eps ? 1 : hi - lo);
      }
      default:
        // yeo-johnson, cube-root need per-sign branches; quantile and robust-scale use batch statistics.
        throw new Error(
          `DistributionTransformLayer '${this.name}': transform '${name}' is not implemented here`,
        );
    }
  }

  override computeOutputShape(s: ShapeTree): ShapeTree {
    return s;
  }
}

interface EncoderArgs {
  name: string;
  embeddingDim: number | null;
  epsilon: number;
  detectPeriodicity: boolean;
  autoDetect: boolean;
  transformType: string;
  addDistributionEmbedding: boolean;
  [key: string]: unknown;
}

/** kdp DistributionAwareEncoder (inference). Sub-layers are properties named like the Python attributes. */
class DistributionAwareEncoder extends Layer {
  static override className = "DistributionAwareEncoder";
  readonly distributionTransform: DistributionTransformLayer;
  readonly projection: layers.Dense | null;
  detectedDistribution: Weight | null = null;
  frequency: Weight | null = null;
  phase: Weight | null = null;

  constructor(readonly args: EncoderArgs) {
    super({ name: args.name });
    if (args.addDistributionEmbedding) throw new Error("add_distribution_embedding is not implemented here");
    this.distributionTransform = new DistributionTransformLayer({
      name: `${args.name}_transform`,
      transformType: args.transformType,
      epsilon: args.epsilon,
    });
    this.projection =
      args.embeddingDim === null
        ? null
        : new layers.Dense({ units: args.embeddingDim, activation: "relu", name: `${args.name}_projection` });
  }

  override build(inputShape: ShapeTree): void {
    const s = inputShape as SymbolicShape;
    if (this.args.autoDetect)
      this.detectedDistribution = this.addWeight("detected_distribution", [1], "zeros", {
        trainable: false,
        dtype: "int32",
      });
    if (this.args.detectPeriodicity) {
      this.frequency = this.addWeight("frequency", [1], "ones");
      this.phase = this.addWeight("phase", [1], "zeros");
    }
    this.distributionTransform.build();
    this.distributionTransform.built = true;
    if (this.projection) {
      this.projection.build(s);
      this.projection.built = true;
    }
    this.built = true;
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    let t = this.distributionTransform.call(inputs);
    const dist = this.detectedDistribution ? DISTRIBUTIONS[this.detectedDistribution.value.item()] : "normal";
    if (this.args.detectPeriodicity && dist === "periodic") {
      const mean = t.mean();
      const std = t.sub(mean).square().mean().sqrt().add(this.args.epsilon);
      const z = t.sub(mean).div(std).mul(3.14159).mul(this.frequency!.value).add(this.phase!.value);
      t = concatenate([t, z.sin(), z.cos()], -1);
    }
    return this.projection ? this.projection.call(t) : t;
  }

  override getConfig(): Record<string, unknown> {
    const { name, ...rest } = this.args;
    return { name, trainable: this.trainable, dtype: this.dtype, ...rest };
  }
}

const register = () =>
  registerLayer(
    "DistributionAwareEncoder",
    (config, ctx: LayerBuildContext) =>
      new DistributionAwareEncoder({ ...(config as EncoderArgs), name: ctx.layerName }),
  );

afterEach(() => unregisterLayer("DistributionAwareEncoder"));

/** relu(asinh(x)·W + b) → relu(·W2 + b2) → sigmoid(·W3 + b3), from the weights file itself. */
function independentForward(x: Float64Array, rows: number): Float64Array {
  const h5 = openHdf5(
    readZip(new Uint8Array(fs.readFileSync(FILE)), "kdp").get("model.weights.h5")!,
    "weights",
  );
  const get = (p: string) => ({ v: h5.dataset(p).read(), s: h5.dataset(p).shape });
  const dense = (
    inp: Float64Array,
    n: number,
    k: { v: ArrayLike<number>; s: number[] },
    b: { v: ArrayLike<number> },
    f: (z: number) => number,
  ) => {
    const [din, dout] = k.s;
    const out = new Float64Array(n * dout);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < dout; j++) {
        let z = b.v[j];
        for (let i = 0; i < din; i++) z += inp[r * din + i] * k.v[i * dout + j];
        out[r * dout + j] = f(z);
      }
    return out;
  };
  const relu = (z: number) => Math.max(z, 0);
  const enc = "layers/distribution_aware_encoder";
  expect(Array.from(h5.dataset(`${enc}/distribution_transform/vars/0`).read())).toEqual([5]); // arcsinh
  expect(Array.from(h5.dataset(`${enc}/vars/0`).read())).toEqual([0]); // normal
  const a = x.map((v) => Math.asinh(v));
  const h1 = dense(a, rows, get(`${enc}/projection/vars/0`), get(`${enc}/projection/vars/1`), relu);
  const h2 = dense(h1, rows, get("layers/dense/vars/0"), get("layers/dense/vars/1"), relu);
  return dense(
    h2,
    rows,
    get("layers/dense_1/vars/0"),
    get("layers/dense_1/vars/1"),
    (z) => 1 / (1 + Math.exp(-z)),
  );
}

describe("custom layers (keras3/kdp DistributionAwareEncoder)", () => {
  it("without a registration: UnsupportedLayerError naming the class, layer, file, module and the fix", async () => {
    const err = await loadModel(FILE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedLayerError);
    const m = (err as Error).message;
    expect(m).toContain("Unsupported layer class 'DistributionAwareEncoder'");
    expect(m).toContain("layer 'distribution_aware_encoder'");
    expect(m).toContain("test_model.keras");
    expect(m).toContain("kdp.layers.distribution_aware_encoder_layer");
    expect(m).toContain(
      'registerLayer("DistributionAwareEncoder", (config, ctx) => new DistributionAwareEncoder(config))',
    );
  });

  it("registered: loads with its real weights and matches an independent forward pass", async () => {
    register();
    const model = await loadModel(FILE);
    const enc = model.getLayer("distribution_aware_encoder") as DistributionAwareEncoder;
    expect(enc.args).toMatchObject({
      embeddingDim: 16,
      epsilon: 1e-6,
      detectPeriodicity: false,
      transformType: "auto",
    });
    expect(enc.distributionTransform.selectedTransformIdx.value.dtype).toBe("int32");
    expect(enc.distributionTransform.selectedTransformIdx.value.item()).toBe(5);
    const [x] = seededInputs(model, 3);
    const y = model.call(x) as Tensor;
    const want = independentForward(x.data() as Float64Array, x.shape[0]);
    const got = y.data();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-14);
    checkGrads((v: Tensor) => model.call(v), [x], { order: 2 });
  });

  it("saves back to .keras with the custom class's module and registered name, and reloads exactly", async () => {
    register();
    const model = await loadModel(FILE);
    const bytes = saveKerasBytes(model);
    const files = readZip(bytes, "saved.keras");
    const config = JSON.parse(new TextDecoder().decode(files.get("config.json"))) as {
      config: { layers: Record<string, unknown>[] };
    };
    expect(config.config.layers[1]).toMatchObject({
      module: "kdp.layers.distribution_aware_encoder_layer",
      class_name: "DistributionAwareEncoder",
      registered_name: "DistributionAwareEncoder",
      config: {
        name: "distribution_aware_encoder",
        embedding_dim: 16,
        transform_type: "auto",
        auto_detect: true,
      },
    });
    const h5 = openHdf5(files.get("model.weights.h5")!, "saved");
    expect(h5.dataset("layers/distribution_aware_encoder/distribution_transform/vars/0").read()).toEqual(
      new Int32Array([5]),
    );
    const again = await loadModel(bytes);
    const x = array([[0.1, -2, 3, 0.5, 7]]);
    expect((again.call(x) as Tensor).data()).toEqual((model.call(x) as Tensor).data());
  });
});
