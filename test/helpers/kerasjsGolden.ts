/**
 * Reads one keras-js golden case (test/fixtures/real/keras-js, Keras 2.1 outputs to 6 decimals):
 * its input(s), weights in `get_weights()` order and expected output, each with a batch dim of 1
 * added (the fixtures store one sample without it). The Python lines that built each case are in
 * INDEX.json; tests translate them by hand.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { array, type Tensor } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";

const ROOT = fileURLToPath(new URL("../fixtures/real/keras-js/", import.meta.url));

interface Stored {
  data: number[];
  shape: number[];
}

interface IndexEntry {
  data_file: string;
  layer_spec_lines: string[];
}

const index = JSON.parse(readFileSync(ROOT + "INDEX.json", "utf8")) as { keys: Record<string, IndexEntry> };
const files = new Map<string, Record<string, Record<string, unknown>>>();

const toTensor = (s: Stored, batch: boolean): Tensor =>
  array(Float64Array.from(s.data), { shape: batch ? [1, ...s.shape] : s.shape, dtype: "float64" });

export interface GoldenCase {
  /** The Keras lines that built the case (for the test's own cross-check). */
  spec: string[];
  inputs: Tensor[];
  weights: Tensor[];
  expected: Tensor;
}

/** The case `key` (e.g. `merge.Add.0`) with batch dims added to inputs and expected output. */
export function golden(key: string): GoldenCase {
  const entry = index.keys[key];
  if (entry === undefined) throw new Error(`no keras-js fixture '${key}'`);
  let file = files.get(entry.data_file);
  if (file === undefined) {
    file = JSON.parse(readFileSync(ROOT + entry.data_file, "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    files.set(entry.data_file, file);
  }
  const c = file[key];
  const inputs = (c.inputs ?? [c.input]) as Stored[];
  return {
    spec: entry.layer_spec_lines,
    inputs: inputs.map((s) => toTensor(s, true)),
    weights: ((c.weights ?? []) as Stored[]).map((s) => toTensor(s, false)),
    expected: toTensor(c.expected as Stored, true),
  };
}

/** Compares with a golden output at the fixtures' precision (6 decimals): 1e-5 relative, 2e-6 absolute. */
export function expectGolden(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  assertAllclose(got, want, { rtol: 1e-5, atol: 2e-6 });
}
