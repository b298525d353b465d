/**
 * TensorFlow.js: live `tf.LayersModel`s converted with `fromTfjs`, models saved by tfjs-layers
 * itself and loaded back from their model.json + weight bytes, quantized weights (uint8, uint16,
 * float16, as tfjs-core io writes them), and shards found beside a model.json or given by name.
 */
import * as tf from "@tensorflow/tfjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { array, type Tensor } from "../src/index.js";
import { fromTfjs, loadModel } from "../src/io/index.js";
import { checkGrads } from "../src/testing/index.js";
import { fixturePath } from "./helpers/realModels.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const toArray = (t: tf.Tensor) => array(Float64Array.from(t.dataSync()), { shape: t.shape as number[] });

function expectFloat32Close(got: ArrayLike<number>, want: ArrayLike<number>) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want[i]));
}

/** A functional TF.js model with most families: Bidirectional LSTM, TimeDistributed, GRU, merge, BN, hardSigmoid. */
function tfFunctional(): tf.LayersModel {
  const a = tf.input({ shape: [5, 3], name: "seq" });
  const b = tf.input({ shape: [4], name: "side" });
  const bi = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4 }) as tf.layers.RNN }).apply(a);
  const td = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }).apply(a);
  const gru = tf.layers.gru({ units: 3, goBackwards: true }).apply(td);
  const side = tf.layers.dense({ units: 2, activation: "hardSigmoid" }).apply(b);
  const merged = tf.layers.concatenate().apply([bi, gru, side] as tf.SymbolicTensor[]);
  const bn = tf.layers.batchNormalization().apply(merged);
  const out = tf.layers.dense({ units: 2, activation: "softmax" }).apply(bn) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: out });
}

describe("fromTfjs: a live tf.LayersModel", () => {
  it("a Sequential conv net predicts what TF.js predicts, to float32 precision", () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, activation: "relu" }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: "tanh" }),
      ],
    });
    const x = tf.randomNormal([3, 6, 6, 2], 0, 1, "float32", 1);
    const model = fromTfjs(m);
    expect(model.fileInfo).toMatchObject({ format: "tfjs-live", kerasMajor: 2, activationFlavor: "keras2" });
    expectFloat32Close((model.call(toArray(x)) as Tensor).data(), (m.predict(x) as tf.Tensor).dataSync());
  });

  it("a functional model with Bidirectional LSTM, GRU, TimeDistributed, BatchNormalization, two inputs", () => {
    const m = tfFunctional();
    const xa = tf.randomNormal([2, 5, 3], 0, 1, "float32", 2);
    const xb = tf.randomNormal([2, 4], 0, 1, "float32", 3);
    const model = fromTfjs(m);
    expect(model.inputNames).toEqual(["seq", "side"]);
    const y = model.call([toArray(xa), toArray(xb)]) as Tensor;
    expectFloat32Close(y.data(), (m.predict([xa, xb]) as tf.Tensor).dataSync());
    checkGrads((p: Tensor, q: Tensor) => model.call([p, q]), [toArray(xa), toArray(xb)], {
      order: 1,
      eps: 1e-8,
    });
  });

  it("refuses things that are not layers models", () => {
    expect(() => fromTfjs({} as never)).toThrow(/expected a tf.LayersModel/);
  });
});

/** What tfjs-layers' own `model.save` writes: model.json and one weights buffer. */
async function tfjsSave(m: tf.LayersModel): Promise<{ json: Record<string, unknown>; weights: Uint8Array }> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const a = artifacts as unknown as tf.io.ModelArtifacts;
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
  };
  return { json, weights: new Uint8Array(a.weightData as ArrayBuffer) };
}

const enc = new TextEncoder();

describe("TF.js model.json files", () => {
  it("saved by tfjs-layers itself, shards given by name", async () => {
    const m = tfFunctional();
    const { json, weights } = await tfjsSave(m);
    const model = await loadModel(enc.encode(JSON.stringify(json)), { weights: { "weights.bin": weights } });
    expect(model.fileInfo?.format).toBe("tfjs");
    const xa = tf.randomNormal([2, 5, 3], 0, 1, "float32", 4);
    const xb = tf.randomNormal([2, 4], 0, 1, "float32", 5);
    expectFloat32Close(
      (model.call([toArray(xa), toArray(xb)]) as Tensor).data(),
      (m.predict([xa, xb]) as tf.Tensor).dataSync(),
    );
  });

  it("bytes without their shards: says which file to pass", async () => {
    const bytes = fs.readFileSync(fixturePath("tfjs-examples/abalone-node/model.json"));
    await expect(loadModel(bytes)).rejects.toThrow(
      /weight file 'weights.bin' cannot be found.*\{ weights: \{ "weights.bin": bytes \} \}/s,
    );
  });

  it("a File/Blob model.json with its shards as Files", async () => {
    const dir = "tfjs/bundle_model_test";
    const file = new File(
      [fs.readFileSync(fixturePath(`${dir}/bundle_model_test.json`))],
      "bundle_model_test.json",
    );
    const shard = new Blob([fs.readFileSync(fixturePath(`${dir}/bundle_model_test_weights.bin`))]);
    const model = await loadModel(file, { weights: { "./bundle_model_test_weights.bin": shard } });
    expect(model.fileInfo?.path).toBeUndefined();
    expect((model.call(array([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]])) as Tensor).shape).toEqual([1, 1]);
  });

  it("over http(s): shards fetched relative to the model.json URL", async () => {
    const dir = fixturePath("tfjs-examples/abalone-node");
    const fetched: string[] = [];
    const fakeFetch = (async (url: string) => {
      fetched.push(url);
      const name = new URL(url).pathname.split("/").pop()!;
      const body = fs.readFileSync(`${dir}/${name}`);
      return new Response(body, { status: 200, headers: { "content-length": String(body.length) } });
    }) as typeof fetch;
    const model = await loadModel("https://example.com/models/abalone/model.json", { fetch: fakeFetch });
    expect(fetched).toEqual([
      "https://example.com/models/abalone/model.json",
      "https://example.com/models/abalone/weights.bin",
    ]);
    expect(model.fileInfo).toMatchObject({
      format: "tfjs",
      path: "https://example.com/models/abalone/model.json",
    });
  });

  it("refuses shard paths that leave the model's folder (file paths and URLs)", async () => {
    const raw = JSON.parse(fs.readFileSync(fixturePath("tfjs-examples/abalone-node/model.json"), "utf8")) as {
      weightsManifest: { paths: string[] }[];
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-tfjs-"));
    const fetched: string[] = [];
    const fakeFetch = (async (url: string) => {
      fetched.push(url);
      return new Response(enc.encode(JSON.stringify(raw)), { status: 200 });
    }) as typeof fetch;
    try {
      for (const bad of ["../../../etc/passwd", "/etc/passwd", "https://evil.example/w.bin", "a\\..\\b"]) {
        raw.weightsManifest[0].paths = [bad];
        const file = path.join(dir, "model.json");
        fs.writeFileSync(file, JSON.stringify(raw));
        await expect(loadModel(file)).rejects.toThrow(/is not a plain relative name.*refusing to read it/);
        fetched.length = 0;
        await expect(loadModel("https://example.com/m/model.json", { fetch: fakeFetch })).rejects.toThrow(
          /is not a plain relative name/,
        );
        expect(fetched).toEqual(["https://example.com/m/model.json"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// -------------------------------------------------------------------------------------------
// Quantization, as tfjs-core io (io_utils.ts / tfjs-converter quantization.py) writes it.

type Quant = "uint8" | "uint16" | "float16";

function floatToHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) {
    mant = (mant | 0x800000) >> (1 - exp);
    return sign | ((mant + 0x1000) >> 13);
  }
  if (exp >= 31) return sign | 0x7c00;
  const h = sign | (exp << 10) | ((mant + 0x1000) >> 13);
  return h;
}

/** Quantizes every weight of a TF.js model.json + shard; returns the new pair and the values a reader must produce. */
function quantize(
  json: { weightsManifest: { weights: { shape: number[] }[] }[] },
  shard: Uint8Array,
  q: Quant,
) {
  const floats = new Float32Array(shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength));
  const out: number[] = [];
  const expected: number[] = [];
  let at = 0;
  const specs = json.weightsManifest[0].weights as Record<string, unknown>[];
  for (const w of specs) {
    const n = (w.shape as number[]).reduce((a, b) => a * b, 1);
    const vals = floats.subarray(at, at + n);
    at += n;
    if (q === "float16") {
      w.quantization = { dtype: "float16" };
      for (const v of vals) {
        const h = floatToHalf(v);
        out.push(h & 0xff, h >> 8);
        const s = h & 0x8000 ? -1 : 1;
        const e = (h >> 10) & 0x1f;
        const m = h & 0x3ff;
        expected.push(e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15));
      }
    } else {
      const levels = q === "uint8" ? 255 : 65535;
      let lo = Math.min(...vals);
      const hi = Math.max(...vals);
      const scale = hi > lo ? (hi - lo) / levels : 1;
      lo = Math.fround(lo);
      w.quantization = { dtype: q, scale, min: lo };
      for (const v of vals) {
        const k = Math.round((v - lo) / scale);
        if (q === "uint8") out.push(k);
        else out.push(k & 0xff, k >> 8);
        expected.push(Math.fround(k * scale + lo));
      }
    }
  }
  return { json, shard: Uint8Array.from(out), expected };
}

describe("quantized TF.js weights are dequantized", () => {
  for (const q of ["uint8", "uint16", "float16"] as const)
    it(q, async () => {
      const dir = "tfjs-examples/abalone-node";
      const json = JSON.parse(fs.readFileSync(fixturePath(`${dir}/model.json`), "utf8"));
      const shard = new Uint8Array(fs.readFileSync(fixturePath(`${dir}/weights.bin`)));
      const qz = quantize(json, shard, q);
      const model = await loadModel(enc.encode(JSON.stringify(qz.json)), {
        weights: { "weights.bin": qz.shard },
      });
      const loaded = model.weights.flatMap((w) => Array.from(w.value.data()));
      expect(loaded.length).toBe(qz.expected.length);
      for (let i = 0; i < loaded.length; i++) expect(loaded[i]).toBe(qz.expected[i]);
      // and the quantized model stays close to the float one
      const full = await loadModel(fixturePath(`${dir}/model.json`));
      const x = array([[0.1, 0.5, 0.4, 0.2, 0.3, 0.1, 0.05, 0.2]]);
      const diff = Math.abs((model.call(x) as Tensor).item() - (full.call(x) as Tensor).item());
      expect(diff).toBeLessThan(q === "uint8" ? 0.5 : 0.01);
    });

  it("refuses a shard of the wrong size and a malformed quantization", async () => {
    const dir = "tfjs-examples/abalone-node";
    const json = JSON.parse(fs.readFileSync(fixturePath(`${dir}/model.json`), "utf8"));
    const shard = new Uint8Array(fs.readFileSync(fixturePath(`${dir}/weights.bin`)));
    await expect(
      loadModel(enc.encode(JSON.stringify(json)), { weights: { "weights.bin": shard.subarray(0, 100) } }),
    ).rejects.toThrow(/needs 12204 bytes.*hold 100 \(truncated\?\)/);
    json.weightsManifest[0].weights[0].quantization = { dtype: "uint4" };
    await expect(
      loadModel(enc.encode(JSON.stringify(json)), { weights: { "weights.bin": shard } }),
    ).rejects.toThrow(
      /weightsManifest\[0\]\.weights\[0\]\.quantization: expected \{dtype: uint8 \| uint16 \| float16/,
    );
  });
});
