/**
 * Golden outputs of Keras Conv2DTranspose layers (the 28 dl4j fixtures, see
 * test/fixtures/real/PROVENANCE.md): kernel (kh, kw, filters_out, channels_in), bias, int input,
 * float32 output. We compute in float64 from the float32 weights.
 *
 * Tolerance: the goldens were computed in float32, so an output that is a near-cancelling sum
 * carries float32 rounding of the size of its terms, not of itself. We require |err| ≤ 1e-5·|y|
 * + 1e-6·max|y| (measured worst: 1.3e-7·max|y|).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { array, biasAdd, broadcastTo, convTranspose, type Tensor } from "../src/index.js";
import { parseNpy } from "../src/io/containers/npy.js";
import { assertAllclose } from "../src/testing/index.js";

const DIR = fileURLToPath(new URL("./fixtures/real/dl4j/deconv/", import.meta.url));

function load(name: string): Tensor {
  const a = parseNpy(readFileSync(DIR + name), name);
  return array(a.data, { shape: a.shape, dtype: "float64" });
}

const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith("_W.npy"))
  .map((f) => f.slice(0, -"_W.npy".length))
  .sort();

function parseCase(name: string) {
  const m = /^mb\d+_k(\d+)_sz(\d+)_s(\d+)_(valid|same)_d(\d+)_(nchw|nhwc)$/.exec(name);
  if (m === null) throw new Error(`unexpected fixture name ${name}`);
  return {
    k: Number(m[1]),
    strides: Number(m[3]),
    padding: m[4] as "valid" | "same",
    dilation: Number(m[5]),
    dataFormat: m[6] === "nchw" ? ("channelsFirst" as const) : ("channelsLast" as const),
  };
}

function expectGolden(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const scale = Math.max(...Array.from(want.data(), Math.abs));
  assertAllclose(got, want, { rtol: 1e-5, atol: 1e-6 * scale });
}

describe("convTranspose + bias vs Keras Conv2DTranspose goldens (dl4j)", () => {
  it("finds all 28 cases", () => expect(CASES.length).toBe(28));

  for (const name of CASES)
    it(name, () => {
      const { k, strides, padding, dilation, dataFormat } = parseCase(name);
      const [W, b, x, want] = ["W", "b", "in", "out"].map((part) => load(`${name}_${part}.npy`));
      expect(W.shape.slice(0, 2)).toEqual([k, k]);
      const run = (outputPadding: number | null) =>
        biasAdd(
          convTranspose(x, W, { strides, padding, dilation, dataFormat, outputPadding }),
          b,
          dataFormat,
        );
      const y = run(null);
      const sp = dataFormat === "channelsFirst" ? [2, 3] : [1, 2];
      if (sp.every((a) => y.shape[a] === want.shape[a])) {
        expectGolden(y, want);
        return;
      }
      // Two valid-padding cases with kernel < stride (k1_s3, k2_s3) hold (M−1)·s + k outputs per
      // dim, what dl4j's own deconv2d computes, where Keras's deconv_output_length gives M·s +
      // max(k − s, 0) = M·s. That is Keras with outputPadding 0; the Keras default only appends
      // s − k rows/cols that no input reaches, so they hold the bias alone.
      expect(padding === "valid" && k < strides).toBe(true);
      expectGolden(run(0), want);
      const crop = sp.map((a) => [0, want.shape[a]] as [number, number]);
      const specs = dataFormat === "channelsFirst" ? [null, null, ...crop] : [null, ...crop];
      expectGolden(y.slice(specs), want);
      const tailRows = y.slice(
        dataFormat === "channelsFirst" ? [null, null, [want.shape[2], null]] : [null, [want.shape[1], null]],
      );
      const bias = b.reshape(dataFormat === "channelsFirst" ? [1, -1, 1, 1] : [1, 1, 1, -1]);
      assertAllclose(tailRows, broadcastTo(bias, tailRows.shape), { rtol: 0, atol: 0 });
    });
});
