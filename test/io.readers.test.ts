/**
 * The low-level readers of src/io against the real fixtures (test/fixtures/real) and against
 * independent readers: h5wasm (the HDF5 C library compiled to WebAssembly) for HDF5, fflate's own
 * unzip for zip. Golden numbers marked "h5py" were read with h5py 3.7 / HDF5 1.10.8.
 */
import fs from "node:fs";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";
import h5wasm from "h5wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { ValueError } from "../src/core/errors.js";
import { ModelFormatError } from "../src/io/errors.js";
import {
  openHdf5,
  writeHdf5,
  type H5Dataset,
  type H5Group,
  type H5WriteGroup,
} from "../src/io/containers/hdf5.js";
import { parseJsonSafe } from "../src/io/containers/json.js";
import { sniffFormat } from "../src/io/containers/sniff.js";
import { listZip, readZip, writeZip } from "../src/io/containers/zip.js";

const ROOT = path.join(import.meta.dirname, "fixtures/real");
const read = (rel: string) => new Uint8Array(fs.readFileSync(path.join(ROOT, rel)));

function listFixtures(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFixtures(p) : [path.relative(ROOT, p)];
  });
}

/** Every HDF5 file among the fixtures, including `model.weights.h5` inside Keras 3 zips. */
function hdf5Fixtures(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const rel of listFixtures()) {
    const bytes = read(rel);
    const tag = sniffFormat(bytes);
    if (tag === "hdf5") out.push([rel, bytes]);
    if (tag === "zip")
      for (const [name, data] of readZip(bytes, rel))
        if (sniffFormat(data) === "hdf5") out.push([`${rel}/${name}`, data]);
  }
  return out;
}

type Dump = Record<string, unknown>;

/** Everything our reader sees in a file: attributes, shapes and values, by path. */
function dumpOurs(node: H5Group | H5Dataset, out: Dump = {}): Dump {
  for (const [k, v] of Object.entries(node.attrs())) out[`${node.path}@${k}`] = v;
  if (node.kind === "dataset") {
    out[`${node.path}#shape`] = node.shape;
    out[`${node.path}#values`] = Array.from(node.read());
  } else for (const k of node.keys()) dumpOurs(node.get(k), out);
  return out;
}

type H5wasmModule = typeof h5wasm;
type H5wasmNode = InstanceType<H5wasmModule["Group"]> | InstanceType<H5wasmModule["Dataset"]>;

const plain = (v: unknown): unknown =>
  typeof v === "bigint"
    ? Number(v)
    : ArrayBuffer.isView(v)
      ? Array.from(v as unknown as ArrayLike<number | bigint>, (x) => Number(x))
      : Array.isArray(v)
        ? v.map(plain)
        : v;

/** The same dump made by libhdf5 (via h5wasm), as the independent oracle. */
function dumpH5wasm(node: H5wasmNode, p: string, out: Dump = {}): Dump {
  for (const [k, a] of Object.entries(node.attrs)) out[`${p}@${k}`] = plain(a.value);
  if (node instanceof h5wasm.Dataset) {
    const shape = node.shape ?? [];
    out[`${p}#shape`] = shape;
    const values = plain(node.value);
    out[`${p}#values`] = shape.length === 0 ? [values] : values;
  } else if (node instanceof h5wasm.Group)
    for (const k of node.keys())
      dumpH5wasm(node.get(k) as H5wasmNode, p === "/" ? `/${k}` : `${p}/${k}`, out);
  return out;
}

/** Bytes equal? (vitest's deep equality walks typed arrays element by element, far too slowly.) */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Dumps equal, numbers compared with Object.is; falls back to toEqual for a readable diff. */
function expectSameDump(name: string, ours: Dump, theirs: Dump): void {
  const same = (x: unknown, y: unknown): boolean =>
    Array.isArray(x) && Array.isArray(y)
      ? x.length === y.length && x.every((v, i) => same(v, y[i]))
      : Object.is(x, y) || JSON.stringify(x) === JSON.stringify(y);
  const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
  if (![...keys].every((k) => same(ours[k], theirs[k]))) expect([name, ours]).toEqual([name, theirs]);
}

let fileCounter = 0;
let h5fs: { writeFile(name: string, data: Uint8Array): void; unlink(name: string): void };
/** h5wasm opens files from its in-memory (Emscripten) file system; the file is unlinked at once. */
function openWithH5wasm(bytes: Uint8Array): InstanceType<H5wasmModule["File"]> {
  const name = `/fixture-${fileCounter++}.h5`;
  h5fs.writeFile(name, bytes);
  const file = new h5wasm.File(name, "r");
  h5fs.unlink(name);
  return file;
}

beforeAll(async () => {
  h5fs = (await h5wasm.ready).FS as unknown as typeof h5fs;
});

describe("sniffFormat", () => {
  it("tells formats apart by content, never by extension", () => {
    expect(sniffFormat(read("hls4ml/mlp_streaming.keras"))).toBe("hdf5");
    expect(sniffFormat(read("keras3/kdp/test_model.keras"))).toBe("zip");
    expect(sniffFormat(read("dl4j/deconv/mb1_k1_sz8_s1_valid_d1_nchw_W.npy"))).toBe("npy");
    expect(sniffFormat(read("tfjs-examples/abalone-node/model.json"))).toBe("json");
    expect(sniffFormat(read("tensorspace/helloworld/converted-tfjs/group1-shard1of1"))).toBe("unknown");
    expect(sniffFormat(new TextEncoder().encode("\ufeff \n [1]"))).toBe("json");
    expect(sniffFormat(new Uint8Array(0))).toBe("unknown");
  });

  it("classifies every fixture as its extension suggests (except hls4ml's HDF5 .keras)", () => {
    const expected: Record<string, string> = { h5: "hdf5", hdf5: "hdf5", npy: "npy", json: "json" };
    for (const rel of listFixtures()) {
      const ext = path.extname(rel).slice(1);
      const want = rel.startsWith("hls4ml/") ? "hdf5" : ext === "keras" ? "zip" : expected[ext];
      if (want !== undefined) expect([rel, sniffFormat(read(rel))]).toEqual([rel, want]);
    }
  });

  it("finds HDF5 after a user block (signature at 512, 1024, ...)", () => {
    const plainFile = writeHdf5({ kind: "group", children: {} });
    const withBlock = new Uint8Array(1024 + plainFile.length);
    withBlock.set(plainFile, 1024);
    expect(sniffFormat(withBlock)).toBe("hdf5");
    expect(openHdf5(withBlock, "userblock.h5").keys()).toEqual([]);
  });
});

describe("openHdf5 on the real fixtures", () => {
  const files = hdf5Fixtures();

  it("finds every HDF5 file (legacy .h5, hls4ml .keras, Keras 3 weights, dl4j data)", () => {
    expect(files.length).toBe(207);
    expect(files.filter(([n]) => n.endsWith(".keras/model.weights.h5")).length).toBe(5);
  });

  it("reads every attribute, shape and value exactly as libhdf5 does", () => {
    for (const [name, bytes] of files) {
      const ours = dumpOurs(openHdf5(bytes, name));
      const f = openWithH5wasm(bytes);
      const theirs = dumpH5wasm(f, "/");
      f.close();
      expectSameDump(name, ours, theirs);
    }
  });

  it("legacy Keras 1 .h5: fixed-length byte-string names, weights in weight_names order", () => {
    const f = openHdf5(read("dl4j/keras-simple/cnn_tf_model.h5"), "cnn_tf_model.h5");
    expect(f.attr("keras_version")).toBe("1.1.2");
    expect(
      (parseJsonSafe(f.attr("model_config") as string, "model_config") as { class_name: string }).class_name,
    ).toBe("Sequential");
    const mw = f.group("model_weights");
    expect((mw.attr("layer_names") as string[]).slice(0, 3)).toEqual([
      "convolution2d_1",
      "convolution2d_2",
      "activation_1",
    ]);
    const layer = mw.group("convolution2d_1");
    expect(layer.attr("weight_names")).toEqual(["convolution2d_1_W:0", "convolution2d_1_b:0"]);
    const kernel = layer.dataset("convolution2d_1_W:0");
    expect([kernel.shape, kernel.dtype]).toEqual([[3, 2, 3, 2], "float32"]);
    // h5py: the first three kernel values
    expect(Array.from(kernel.read().slice(0, 3))).toEqual([
      0.10119301080703735, 0.3721473813056946, 0.3174095153808594,
    ]);
  });

  it("tf.keras 2.1.6 .h5: nested weight paths", () => {
    const f = openHdf5(read("tensorspace/helloworld/tf_keras_model.h5"), "tf_keras_model.h5");
    expect(f.attr("keras_version")).toBe("2.1.6-tf");
    const names = f.group("model_weights/dense_1").attr("weight_names") as string[];
    expect(names).toEqual(["dense_1/kernel:0", "dense_1/bias:0"]);
    const [kernel, bias] = names.map((n) => f.dataset(`model_weights/dense_1/${n}`));
    expect([kernel.shape, bias.shape]).toEqual([[400, 120], [120]]);
    // h5py
    expect(Array.from(bias.read().slice(0, 3))).toEqual([
      -0.08749383687973022, -0.038055434823036194, -0.11175023764371872,
    ]);
    // int64 optimizer counter comes back as int32
    const iterations = f.dataset("optimizer_weights/Adam/iterations:0");
    expect([iterations.dtype, iterations.shape, Array.from(iterations.read())]).toEqual([
      "int32",
      [],
      [9375],
    ]);
  });

  it("Keras 3 legacy .h5: variable-length string arrays, bare weight names, empty weight_names", () => {
    const f = openHdf5(read("keras3/mnist-moonflower/mnist_model.h5"), "mnist_model.h5");
    expect(f.attr("keras_version")).toBe("3.1.1");
    const mw = f.group("model_weights");
    expect(mw.attr("layer_names")).toEqual([
      "conv2d",
      "max_pooling2d",
      "conv2d_1",
      "max_pooling2d_1",
      "flatten",
      "dropout",
      "dense",
    ]);
    expect(mw.group("conv2d").attr("weight_names")).toEqual(["kernel", "bias"]);
    expect(mw.group("max_pooling2d").attr("weight_names")).toEqual([]); // numpy's empty float64 array
    expect(mw.group("max_pooling2d").stringList("weight_names")).toEqual([]);
    expect(mw.stringList("layer_names")).toHaveLength(7);
    expect(JSON.parse(f.attrString("model_config"))).toMatchObject({ class_name: "Sequential" });
    expect(Array.from(mw.dataset("conv2d/kernel").read().slice(0, 2))).toEqual([
      0.00036254574661143124, 0.0917493924498558,
    ]);
  });

  it("Keras 3 .keras: layers/<key>/vars/<i> inside model.weights.h5, @name from 3.9", () => {
    const files = readZip(read("keras3/kdp/test_model.keras"), "test_model.keras");
    const meta = parseJsonSafe(new TextDecoder().decode(files.get("metadata.json")), "metadata.json");
    expect(meta).toMatchObject({ keras_version: "3.9.1" });
    const w = openHdf5(files.get("model.weights.h5")!, "test_model.keras/model.weights.h5");
    expect(w.keys()).toEqual(["layers", "optimizer", "vars"]);
    expect(w.attrs()).toEqual({});
    expect(w.group("vars").keys()).toEqual([]);
    expect(w.group("layers").keys()).toEqual([
      "dense",
      "dense_1",
      "distribution_aware_encoder",
      "input_layer",
    ]);
    expect(w.group("layers/dense/vars").attr("name")).toBe("dense_2");
    const kernel = w.dataset("layers/dense/vars/0");
    expect([kernel.shape, kernel.dtype]).toEqual([[16, 8], "float32"]);
    // h5py
    expect(Array.from(kernel.read().slice(0, 2))).toEqual([-0.47884663939476013, -0.07476658374071121]);
    expect(w.dataset("/layers/dense/vars/1").shape).toEqual([8]);
  });

  it("dl4j golden data: predictions and JSON name attributes", () => {
    const f = openHdf5(read("dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_inputs_and_outputs.h5"), "io.h5");
    expect(f.keys()).toEqual(["activations", "inputs", "outputs", "predictions", "scores"]);
    expect(parseJsonSafe(f.attr("outputs") as string, "outputs")).toEqual({ outputs: ["dense_1"] });
    const pred = f.dataset("predictions/dense_1");
    expect(pred.shape).toEqual([25, 1]);
    expect(Array.from(pred.read().slice(0, 2))).toEqual([Math.fround(-19.46614), Math.fround(0.6220123)]);
    expect(f.dataset("inputs/simple_rnn_1_input").shape).toEqual([25, 1, 1]);
  });

  it("names the file and the path in every error", () => {
    const f = openHdf5(read("keras3/mnist-moonflower/mnist_model.h5"), "mnist_model.h5");
    expect(() => f.get("model_weights/nope")).toThrow(
      /mnist_model\.h5: '\/model_weights' has no 'nope' \(it has: conv2d/,
    );
    expect(() => f.group("model_weights/conv2d/kernel")).toThrow(
      /'\/model_weights\/conv2d\/kernel' is a dataset/,
    );
    expect(() => f.dataset("model_weights")).toThrow(/is a group, expected a dataset/);
    expect(() => f.attr("nope")).toThrow(
      /'\/' has no attribute 'nope' \(it has: keras_version, backend, model_config/,
    );
    expect(f.has("model_weights/conv2d/kernel")).toBe(true);
    expect(f.has("model_weights/conv2d/kernel/deeper")).toBe(false);
    expect(f.has("model_weights/__proto__")).toBe(false);
    expect(() => openHdf5(new Uint8Array(100), "zeros.h5")).toThrow(ModelFormatError);
  });
});

describe("openHdf5 guards against crafted structure", () => {
  /** A file whose group 'g' has 9 empty child groups: two symbol nodes under one B-tree node. */
  function nineChildren(): { bytes: Uint8Array; view: DataView; tree: number } {
    const children = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`c${i}`, { kind: "group", children: {} } as H5WriteGroup]),
    );
    const bytes = writeHdf5({ kind: "group", children: { g: { kind: "group", children } } });
    const view = new DataView(bytes.buffer);
    // The only group B-tree node with 2 entries is g's (every other group has 0 or 1 child).
    let tree = 0;
    while (!(view.getUint32(tree, false) === 0x54524545 && view.getUint16(tree + 6, true) === 2)) tree += 8;
    return { bytes, view, tree };
  }

  it("refuses a B-tree whose nodes share a child (would make traversal exponential)", () => {
    const { bytes, view, tree } = nineChildren();
    expect(openHdf5(bytes.slice(), "ok.h5").group("g").keys()).toHaveLength(9);
    view.setBigUint64(tree + 48, view.getBigUint64(tree + 32, true), true); // child 1 := child 0
    expect(() => openHdf5(bytes, "shared.h5").get("g")).toThrow(
      /shared\.h5: group B-tree of '\/g' reaches the symbol node at byte \d+ twice/,
    );
  });

  it("refuses a hard link back to a parent group (a cycle)", () => {
    const { bytes, view, tree } = nineChildren();
    const rootHeader = view.getBigUint64(64, true); // superblock v0: root object header address
    const snod = Number(view.getBigUint64(tree + 32, true));
    view.setBigUint64(snod + 8 + 8, rootHeader, true); // first entry of g's first symbol node
    expect(() => openHdf5(bytes, "cycle.h5").get("g/c0")).toThrow(
      "cycle.h5: '/g/c0' links back to one of its parent groups (a cycle)",
    );
  });

  it("refuses an attribute claiming more values than its message holds", () => {
    const bytes = writeHdf5({ kind: "group", attrs: { names: ["a", "b"] }, children: {} });
    const view = new DataView(bytes.buffer);
    // The attribute's 1-D dataspace: version 1, rank 1, then the dim (2) 8 bytes later.
    let at = 0;
    while (!(view.getUint32(at, true) === 0x00000101 && view.getUint32(at + 8, true) === 2)) at += 8;
    view.setUint32(at + 8, 0x20000002, true);
    expect(() => openHdf5(bytes, "big.h5").attrs()).toThrow(
      /big\.h5: attribute 'names' of '\/': 536870914 values of 16 bytes do not fit in its 32-byte message/,
    );
  });
});

describe("writeHdf5", () => {
  /** A Keras-3-shaped weights tree, with 300 layers to need a two-level group B-tree. */
  function kerasLikeTree(): H5WriteGroup {
    const layers: H5WriteGroup["children"] = {};
    for (let i = 0; i < 300; i++)
      layers[i === 0 ? "dense" : `dense_${i}`] = {
        kind: "group",
        children: {
          vars: {
            kind: "group",
            attrs: { name: `dense_${i}_é✓` },
            children: {
              "0": { kind: "dataset", shape: [2, 3], data: new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, i]) },
              "1": { kind: "dataset", shape: [3], data: new Float64Array([Math.PI, -0, i / 7]) },
            },
          },
        },
      };
    return {
      kind: "group",
      attrs: { list: ["a", "", "ccc"] },
      children: {
        layers: { kind: "group", children: layers },
        optimizer: { kind: "group", children: { vars: { kind: "group", children: {} } } },
        vars: { kind: "group", children: {} },
        misc: {
          kind: "group",
          children: {
            scalar: { kind: "dataset", shape: [], data: new Int32Array([-7]) },
            empty: { kind: "dataset", shape: [0, 4], data: new Float32Array(0) },
            "kernel:0": {
              kind: "dataset",
              shape: [1, 1, 1],
              data: new Float32Array([2.5]),
              attrs: { unit: "m" },
            },
          },
        },
      },
    };
  }

  it("round-trips through our reader and libhdf5 (h5wasm) alike", () => {
    const bytes = writeHdf5(kerasLikeTree());
    const ours = dumpOurs(openHdf5(bytes, "written.h5"));
    const f = openWithH5wasm(bytes);
    const theirs = dumpH5wasm(f, "/");
    f.close();
    expectSameDump("written.h5", ours, theirs);
    expect(ours["/@list"]).toEqual(["a", "", "ccc"]);
    expect(ours["/layers/dense_299/vars@name"]).toBe("dense_299_é✓");
    expect(ours["/layers/dense_299/vars/0#values"]).toEqual(
      Array.from(new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 299])),
    );
    expect(ours["/layers/dense_5/vars/1#values"]).toEqual([Math.PI, -0, 5 / 7]);
    expect(ours["/misc/scalar#values"]).toEqual([-7]);
    expect(ours["/misc/empty#shape"]).toEqual([0, 4]);
    expect(ours["/misc/kernel:0@unit"]).toBe("m");
    expect(Object.keys(ours).filter((k) => k.startsWith("/layers/") && k.endsWith("/vars@name")).length).toBe(
      300,
    );
  });

  it("stores children in byte order of their names, as HDF5 requires", () => {
    const names = ["b", "a", "B", "é", "a_1", "a0"];
    const tree: H5WriteGroup = {
      kind: "group",
      children: Object.fromEntries(names.map((n) => [n, { kind: "group", children: {} } as H5WriteGroup])),
    };
    const f = openWithH5wasm(writeHdf5(tree));
    expect(f.keys()).toEqual(["B", "a", "a0", "a_1", "b", "é"]);
    f.close();
  });

  it("string lists: Keras's chunked name0, name1, … attributes are joined", () => {
    const f = openHdf5(
      writeHdf5({
        kind: "group",
        attrs: { layer_names0: ["a", "b"], layer_names1: ["c"], single: "x", other: ["y"] },
        children: {},
      }),
      "chunked.h5",
    );
    expect(f.stringList("layer_names")).toEqual(["a", "b", "c"]);
    expect(f.stringList("single")).toEqual(["x"]);
    expect(f.attrString("single")).toBe("x");
    expect(() => f.stringList("nope")).toThrow(/chunked\.h5: '\/' has no attribute 'nope' \(it has: /);
    expect(() => f.attrString("other")).toThrow(/attribute 'other' of '\/' should be a string, got \["y"\]/);
  });

  it("is deterministic", () => {
    expect(sameBytes(writeHdf5(kerasLikeTree()), writeHdf5(kerasLikeTree()))).toBe(true);
  });

  it("refuses bad input with a ValueError that says what", () => {
    const ds = (shape: number[], n: number) => ({
      kind: "dataset" as const,
      shape,
      data: new Float32Array(n),
    });
    expect(() => writeHdf5({ kind: "group", children: { x: ds([2, 2], 3) } })).toThrow(
      /'\/x' has shape \[2, 2\] but 3 values/,
    );
    expect(() => writeHdf5({ kind: "group", children: { "a/b": ds([1], 1) } })).toThrow(ValueError);
    expect(() => writeHdf5({ kind: "group", children: { "": ds([1], 1) } })).toThrow(/bad name/);
    expect(() => writeHdf5({ kind: "group", children: { x: ds([-1], 0) } })).toThrow(/bad dimension -1/);
    const many = Array.from({ length: 5000 }, (_, i) => `name_${i}`);
    expect(() => writeHdf5({ kind: "group", attrs: { many }, children: {} })).toThrow(/HDF5 allows 65535/);
  });
});

describe("zip", () => {
  const kerasZips = listFixtures().filter((r) => r.endsWith(".keras") && !r.startsWith("hls4ml/"));

  it("lists and reads every Keras 3 fixture like fflate's unzip does", () => {
    expect(kerasZips.length).toBe(5);
    for (const rel of kerasZips) {
      const bytes = read(rel);
      const entries = listZip(bytes, rel);
      expect(entries.map((e) => e.name)).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
      expect(entries.every((e) => e.method === "stored" && !e.isDirectory)).toBe(true);
      const ours = readZip(bytes, rel);
      const theirs = unzipSync(bytes);
      expect([...ours.keys()]).toEqual(Object.keys(theirs));
      for (const [n, data] of ours) expect([n, sameBytes(data, theirs[n])]).toEqual([n, true]);
      parseJsonSafe(new TextDecoder().decode(ours.get("config.json")), `${rel}/config.json`);
    }
  });

  it("writes STORED entries in order that fflate reads back, deterministically", () => {
    const entries: [string, Uint8Array][] = [
      ["metadata.json", new TextEncoder().encode('{"keras_version": "3.9.2"}')],
      ["config.json", new TextEncoder().encode("{}")],
      ["model.weights.h5", writeHdf5({ kind: "group", children: {} })],
      ["assets/", new Uint8Array(0)],
    ];
    const bytes = writeZip(entries);
    expect(listZip(bytes, "out.keras").map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ["metadata.json", "stored", false],
      ["config.json", "stored", false],
      ["model.weights.h5", "stored", false],
      ["assets/", "stored", true],
    ]);
    expect(unzipSync(bytes)).toEqual(Object.fromEntries(entries));
    expect([...readZip(bytes, "out.keras").keys()]).toEqual([
      "metadata.json",
      "config.json",
      "model.weights.h5",
    ]);
    expect(sameBytes(writeZip(entries), bytes)).toBe(true);
    expect(() => writeZip([["../x", new Uint8Array(1)]])).toThrow(ValueError);
    expect(() =>
      writeZip([
        ["a", new Uint8Array(1)],
        ["a", new Uint8Array(1)],
      ]),
    ).toThrow(/two entries named 'a'/);
  });

  it("rejects path traversal, absolute and backslash names", () => {
    for (const name of ["../evil.txt", "a/../../evil", "/etc/passwd", "C:/x", "a\\b"]) {
      const bytes = zipSync({ [name]: new Uint8Array([1]) });
      expect(() => listZip(bytes, "evil.zip")).toThrow(/evil\.zip: zip entry name .* is unsafe/);
    }
  });

  it("caps entry count and total size, and stops a deflate stream at its declared size", () => {
    const three = zipSync({ a: new Uint8Array(10), b: new Uint8Array(10), c: new Uint8Array(10) });
    expect(() => readZip(three, "three.zip", { maxEntries: 2 })).toThrow(
      /3 entries, more than the limit of 2/,
    );
    expect(() => readZip(three, "three.zip", { maxTotalBytes: 25 })).toThrow(/more than 25 bytes/);
    // A bomb: 4 MB of zeros deflates to a few KB; then lie that it is 100 bytes.
    const bomb = zipSync({ z: [new Uint8Array(4_000_000), { level: 9 }] });
    const view = new DataView(bomb.buffer);
    let central = bomb.length - 4;
    while (view.getUint32(central, true) !== 0x02014b50) central--; // the one central directory header
    view.setUint32(central + 24, 100, true);
    expect(() => readZip(bomb, "bomb.zip")).toThrow(/'z' inflates past its declared 100 bytes/);
  });

  it("detects truncation and damaged data (CRC-32)", () => {
    const bytes = read("keras3/kdp/test_model.keras");
    expect(() => readZip(bytes.slice(0, bytes.length - 30), "cut.keras")).toThrow(
      /no end-of-central-directory/,
    );
    expect(() => readZip(bytes.slice(0, 5000), "cut.keras")).toThrow(ModelFormatError);
    const flipped = bytes.slice();
    const entry = listZip(bytes, "x").find((e) => e.name === "model.weights.h5")!;
    flipped[bytes.length - 200 - entry.size / 2] ^= 0x10; // inside the stored weights
    expect(() => readZip(flipped, "flipped.keras")).toThrow(/'model\.weights\.h5' fails its CRC-32 check/);
  });
});

describe("parseJsonSafe", () => {
  it("parses every JSON fixture", () => {
    const jsons = listFixtures().filter((r) => r.endsWith(".json"));
    expect(jsons.length).toBeGreaterThan(100);
    for (const rel of jsons) parseJsonSafe(fs.readFileSync(path.join(ROOT, rel), "utf8"), rel);
  });

  it("refuses prototype-pollution keys anywhere, naming the key path", () => {
    expect(() =>
      parseJsonSafe('{"config":{"layers":[{"a":1},{"__proto__":{"x":1}}]}}', "model.json"),
    ).toThrow(
      "model.json: JSON key '__proto__' at config.layers[1].__proto__ is not allowed (prototype pollution)",
    );
    expect(() => parseJsonSafe('[{"constructor":{"prototype":{}}}]', "c.json")).toThrow(
      /'constructor' at \[0\]\.constructor/,
    );
    expect(() => parseJsonSafe('{"a b":{"prototype":1}}', "p.json")).toThrow(
      /'prototype' at \["a b"\]\.prototype/,
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("caps depth and length, strips a BOM, and wraps syntax errors", () => {
    expect(() => parseJsonSafe("[".repeat(600) + "]".repeat(600), "deep.json")).toThrow(
      /nests deeper than 512 levels/,
    );
    expect(parseJsonSafe("[[[1]]]", "ok.json", { maxDepth: 3 })).toEqual([[[1]]]);
    expect(() => parseJsonSafe("[[[[1]]]]", "d.json", { maxDepth: 3 })).toThrow(/deeper than 3/);
    expect(() => parseJsonSafe("[1,2,3]", "long.json", { maxLength: 5 })).toThrow(
      /7 characters is over the limit of 5/,
    );
    expect(parseJsonSafe('\ufeff{"a":[1,"x",null]}', "bom.json")).toEqual({ a: [1, "x", null] });
    expect(() => parseJsonSafe("{'a':1}", "bad.json")).toThrow(/bad\.json: invalid JSON/);
    expect(parseJsonSafe('"__proto__"', "s.json")).toBe("__proto__");
  });
});
