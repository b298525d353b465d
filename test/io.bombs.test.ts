/**
 * Decompression bombs in `.keras` archives (issue 9), generated at test time from a real file and
 * kept small (tens of MiB inflated, a few hundred KB on disk): each must fail with a
 * `ModelFormatError` naming the file, the entry and the cap — or load, when the bomb is in an entry
 * the format does not use — and no more may be inflated than the cap plus one inflate step.
 *
 * What was inflated is counted by wrapping fflate's `Inflate` (the only decompressor the loaders
 * use), so the count does not depend on the reader's own bookkeeping. Time and memory at the
 * issue's sizes are measured by bench/bombs.ts (docs/budgets.md).
 */
import fs from "node:fs";
import { deflateRawSync } from "node:zlib";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadModel, ModelFormatError } from "../src/io/index.js";
import { MAX_MODEL_JSON_LENGTH, parseJsonSafe } from "../src/io/containers/json.js";
import { KERAS_CONFIG_MAX_BYTES } from "../src/io/formats/keras3.js";
import { openZip, readZip } from "../src/io/containers/zip.js";
import { fixturePath } from "./helpers/realModels.js";
import { buildZip, declareSize, kerasBombs, kerasWith } from "./helpers/zipBombs.js";

const inflated = vi.hoisted(() => ({ bytes: 0 }));

vi.mock("fflate", async (importOriginal) => {
  const fflate = await importOriginal<typeof import("fflate")>();
  type Handler = (chunk: Uint8Array, final: boolean) => void;
  class CountingInflate extends fflate.Inflate {
    constructor(opts?: unknown, cb?: Handler) {
      const handler = (typeof opts === "function" ? opts : cb) as Handler | undefined;
      super((chunk: Uint8Array, final: boolean) => {
        inflated.bytes += chunk.length;
        handler?.(chunk, final);
      });
    }
  }
  const counted =
    <A extends unknown[]>(f: (...a: A) => Uint8Array) =>
    (...a: A) => {
      const out = f(...a);
      inflated.bytes += out.length;
      return out;
    };
  return { ...fflate, Inflate: CountingInflate, inflateSync: counted(fflate.inflateSync) };
});

const MiB = 1024 ** 2;
/** Deflate expands at most 1032:1; the reader feeds 1 KiB of input per step, plus the 32 KiB window. */
const ONE_STEP = 1032 * 1024 + 32 * 1024;

const BASE = new Uint8Array(fs.readFileSync(fixturePath("keras3/flownet/final_model.keras")));
const files = readZip(BASE, "base");
const CONFIG_SIZE = files.get("config.json")!.length;
const WEIGHTS_SIZE = files.get("model.weights.h5")!.length;

/** The typed error `load` rejects with. */
async function failure(load: Promise<unknown>): Promise<ModelFormatError> {
  const e = await load.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ModelFormatError);
  return e as ModelFormatError;
}

beforeEach(() => {
  inflated.bytes = 0;
});

describe("zip bombs in a .keras file", () => {
  const bombs = kerasBombs(BASE, 24 * MiB);

  it("never inflates an entry the format does not use, honest or lying about its size", async () => {
    for (const name of ["unusedEntry", "unusedLiar"]) {
      inflated.bytes = 0;
      const model = await loadModel(bombs[name], { label: `${name}.keras` });
      expect(model.countParams()).toBe(10786);
      expect(inflated.bytes, name).toBe(0); // the base entries are STORED; only the bomb is deflated
    }
  });

  it("stops an entry that inflates past its declared size within one step", async () => {
    const cases = [
      ["configLiar", "config.json", CONFIG_SIZE],
      ["weightsLiar", "model.weights.h5", WEIGHTS_SIZE],
    ] as const;
    for (const [name, entry, declared] of cases) {
      inflated.bytes = 0;
      const e = await failure(loadModel(bombs[name], { label: `${name}.keras` }));
      expect(e.message).toContain(
        `${name}.keras: zip entry '${entry}' inflates past its declared ${declared} bytes`,
      );
      expect(inflated.bytes, name).toBeGreaterThan(declared);
      expect(inflated.bytes, name).toBeLessThanOrEqual(declared + ONE_STEP);
    }
  });

  it("stops the issue's 'declares 100 bytes' bomb after at most one step", async () => {
    const liar = declareSize(kerasWith(BASE, [{ name: "config.json", zeros: 24 * MiB }]), "config.json", 100);
    const e = await failure(loadModel(liar, { label: "liar.keras" }));
    expect(e.message).toMatch(/liar\.keras: zip entry 'config\.json' inflates past its declared 100 bytes/);
    expect(inflated.bytes).toBeLessThanOrEqual(100 + ONE_STEP);
  });

  it("refuses a config over its cap before inflating any of it", async () => {
    const padded = kerasBombs(BASE, KERAS_CONFIG_MAX_BYTES + 1).paddedConfig;
    const e = await failure(loadModel(padded, { label: "padded.keras" }));
    expect(e.message).toMatch(
      /padded\.keras: zip entry 'config\.json' declares 16\.0 MiB, more than the 16 MiB allowed for a Keras config/,
    );
    expect(inflated.bytes).toBe(0);
  });

  it("refuses weights larger than the config's shapes imply before inflating them", async () => {
    const e = await failure(loadModel(bombs.paddedWeights, { label: "fat.keras" }));
    expect(e.message).toMatch(
      /fat\.keras: zip entry 'model\.weights\.h5' declares 24\.2 MiB, more than the 5\.1 MiB allowed for the weights of a model with 10786 parameters in 8 arrays/,
    );
    expect(inflated.bytes).toBe(0);
  });

  it("caps the total read from an archive (option maxBytes) before inflating past it", async () => {
    const e = await failure(loadModel(bombs.unusedEntry, { label: "small.keras", maxBytes: 100_000 }));
    expect(e.message).toMatch(
      /small\.keras: zip would expand to more than 100000 bytes .* 'model\.weights\.h5'/,
    );
  });

  it("still loads a .keras whose entries are all deflated (streamed inflation is exact)", async () => {
    const deflated = buildZip([...files].map(([name, data]) => ({ name, data })));
    expect(openZip(deflated, "d").entries.every((e) => e.method === "deflate")).toBe(true);
    const [a, b] = [await loadModel(BASE), await loadModel(deflated)];
    a.weights.forEach((w, i) => expect(b.weights[i].value.toArray()).toEqual(w.value.toArray()));
    expect(inflated.bytes).toBe(CONFIG_SIZE + WEIGHTS_SIZE + files.get("metadata.json")!.length);
  });
});

describe("openZip", () => {
  it("inflates random data exactly across many steps, and counts what it inflated", () => {
    let seed = 7;
    const data = Uint8Array.from(
      { length: 300_000 },
      () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24,
    );
    const zip = openZip(buildZip([{ name: "r.bin", data }]), "r.zip");
    expect(zip.entries[0].compressedSize).toBeGreaterThan(200_000); // many 1 KiB steps
    expect(Buffer.from(zip.read("r.bin")!).equals(data)).toBe(true);
    expect(zip.inflated).toBe(data.length);
    expect(zip.bytesRead).toBe(data.length);
  });

  it("refuses an entry over its budget by name and cap, and returns undefined for a missing one", () => {
    const zip = openZip(buildZip([{ name: "a.json", zeros: 5000 }]), "x.zip");
    expect(() => zip.read("a.json", { maxBytes: 4096, why: "a test config" })).toThrow(
      /x\.zip: zip entry 'a\.json' declares 4\.9 KiB, more than the 4 KiB allowed for a test config/,
    );
    expect(zip.inflated).toBe(0);
    expect(zip.read("b.json")).toBeUndefined();
  });

  it("reports damaged deflate data as a format error", () => {
    const zip = buildZip([{ name: "a", data: deflateRawSync(new Uint8Array(10)), stored: true }]);
    const broken = zip.slice();
    broken[30 + 1] = 0xff; // the stored bytes, now read as deflate data with an invalid block type
    const view = new DataView(broken.buffer);
    let central = broken.length - 22;
    while (view.getUint32(central, true) !== 0x02014b50) central--;
    view.setUint16(central + 10, 8, true); // claim deflate
    expect(() => openZip(broken, "b.zip").read("a")).toThrow(ModelFormatError);
  });
});

describe("model JSON", () => {
  const enc = new TextEncoder();

  it("refuses nesting 5,000 deep before parsing, naming line and column", async () => {
    const deep = `{"modelTopology": ${"[".repeat(5000)}1${"]".repeat(5000)}}`;
    const e = await failure(loadModel(enc.encode(deep), { label: "deep.json" }));
    expect(e.message).toMatch(/deep\.json: JSON nests deeper than 512 levels \(line 1, column 530\)/);
    expect(() => parseJsonSafe('{"a": "[[[[\\"[[[["}', "s.json", { maxDepth: 1 })).not.toThrow();
  });

  it("refuses a model JSON over its size cap before decoding it", async () => {
    const big = new Uint8Array(MAX_MODEL_JSON_LENGTH + 1).fill(0x20);
    big[0] = 0x7b; // "{": sniffed as JSON
    const e = await failure(loadModel(big, { label: "big.json" }));
    expect(e.message).toMatch(/big\.json: a JSON model of 33554433 bytes is over the limit of 33554432/);
  });
});
