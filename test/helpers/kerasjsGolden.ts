/**
 * A keras-js golden case (test/fixtures/real/keras-js, Keras 2.1 outputs to 6 decimals) as tensors,
 * for tests that build the layer by hand: its input(s), weights in `get_weights()` order and
 * expected output, inputs and output with a batch dim of 1 added (the fixtures store one sample
 * without it). The Python lines that built each case are in INDEX.json; tests translate them by
 * hand. The fixtures are read by ./kerasjs.ts.
 */
import { expect } from "vitest";
import type { Tensor } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";
import { fixtureTensor, kerasJsArrays, kerasJsEntry } from "./kerasjs.js";

export interface GoldenCase {
  /** The Keras lines that built the case (for the test's own cross-check). */
  spec: string[];
  inputs: Tensor[];
  weights: Tensor[];
  expected: Tensor;
}

/** The case `key` (e.g. `merge.Add.0`) with batch dims added to inputs and expected output. */
export function golden(key: string): GoldenCase {
  const c = kerasJsArrays(key);
  return {
    spec: kerasJsEntry(key).layer_spec_lines,
    inputs: c.inputs.map((a) => fixtureTensor(a)),
    weights: c.weights.map((a) => fixtureTensor(a, false)),
    expected: fixtureTensor(c.expected),
  };
}

/** Compares with a golden output at the fixtures' precision (6 decimals): 1e-5 relative, 2e-6 absolute. */
export function expectGolden(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  assertAllclose(got, want, { rtol: 1e-5, atol: 2e-6 });
}
