/**
 * The CLI's data file as a row source, read again per pass instead of held in memory: per-row
 * results bit-identical to the same data in memory (and across batch sizes), gathers equal to
 * in-memory gathers, a file read in 1 MiB chunks (a counting file handle, not RSS), errors of a
 * later pass typed with the line, non-finite cells still named by file, line and column, and
 * `gradlens whatif` giving what `analyze --shock` gives (one mechanism).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, Input, layers, Model, resetNames } from "../src/index.js";
import * as g from "../src/index.js";
import "../src/io/index.js";
import { parseCsv, readCsvFile } from "../src/cli/data/csv.js";
import { CHUNK, openChunks, type ChunkReader } from "../src/cli/data/fileRows.js";
import type { RowInput } from "../src/cli/data/source.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { analyze } from "../src/sensitivity/analyze.js";
import { perSampleDerivatives } from "../src/sensitivity/engine/derivatives.js";
import { memoryRowSource, type RowSource } from "../src/sensitivity/engine/rows.js";
import type { Tensor } from "../src/prims/tensor.js";
import { taylorWhatIf, type Scenario } from "../src/sensitivity/methods/whatif.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** A seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** id,price,x0,x1,x2 rows (an id column no input uses). */
function csvText(n: number, seed = 3): string {
  const rnd = lcg(seed);
  const lines = ["id,price,x0,x1,x2"];
  for (let i = 0; i < n; i++)
    lines.push(
      `r${i},${(80 + 40 * rnd()).toFixed(4)},${(2 * rnd() - 1).toFixed(6)},${(2 * rnd() - 1).toFixed(6)},${(2 * rnd() - 1).toFixed(6)}`,
    );
  return lines.join("\n") + "\n";
}

const W = array([
  [0.8, -0.3],
  [-0.5, 0.4],
  [0.3, 0.9],
]);
const V = array([[0.6], [-0.4]]);
const target = ({ price, x }: Record<string, Tensor>) =>
  g
    .tanh(x.matmul(W))
    .matmul(V)
    .add(1)
    .mul(price.reshape([-1, 1]));

const INPUTS: RowInput[] = [
  { name: "price", shape: [], columns: [1], data: null },
  { name: "x", shape: [3], columns: [2, 3, 4], data: null },
];

/** The file as a row source (checked once, read again per pass). */
function fileRows(path: string, open?: (p: string) => ChunkReader): RowSource {
  const src = readCsvFile(path, basename(path), { keepValues: false, ...(open ? { open } : {}) });
  expect(src.columns[1].values).toBeNull(); // nothing kept from the first read
  return src.rowsFor!(INPUTS);
}

/** The same data parsed whole, in memory. */
function memoryRows(text: string): RowSource {
  const src = parseCsv(text, "rows.csv");
  const col = (j: number) => src.columns[j].values!;
  const n = src.rows!;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) x[i * 3 + j] = col(2 + j)[i];
  return memoryRowSource(
    [
      { name: "price", dtype: "float64", shape: [], size: 1, data: col(1) },
      { name: "x", dtype: "float64", shape: [3], size: 3, data: x },
    ],
    n,
  );
}

/** A file handle that counts its reads and the bytes they returned. */
function counting() {
  const stats = { opens: 0, reads: 0, bytes: 0, largest: 0 };
  const open = (path: string): ChunkReader => {
    stats.opens++;
    const inner = openChunks(path);
    return {
      read(buf) {
        const got = inner.read(buf);
        stats.reads++;
        stats.bytes += got;
        stats.largest = Math.max(stats.largest, got);
        return got;
      },
      close: () => inner.close(),
    };
  };
  return { stats, open };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-rows-"));
  resetNames();
  const price = Input({ shape: [1], name: "price" });
  const x = Input({ shape: [3], name: "x" });
  const hidden = new layers.Dense({ units: 4, activation: "tanh", name: "h" });
  const out = new layers.Dense({ units: 1, name: "y" });
  const y = out.apply(hidden.apply(new layers.Concatenate({}).apply([price, x])));
  hidden.setWeights([
    array([
      [0.01, -0.02, 0.01, 0.0],
      [0.8, -0.3, 0.5, 0.1],
      [-0.5, 0.4, 0.2, -0.7],
      [0.3, 0.9, -0.6, 0.4],
    ]),
    array([0, 0, 0, 0]),
  ]);
  out.setWeights([array([[0.6], [-0.4], [0.3], [0.2]]), array([1])]);
  await new Model({ inputs: [price, x], outputs: y }).save(join(dir, "m.keras"));
  writeFileSync(join(dir, "rows.csv"), csvText(3000));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a CSV file as a row source", () => {
  it("gives per-row derivatives bit-identical to the same data in memory, for any batch size", () => {
    const text = csvText(700, 5);
    writeFileSync(join(dir, "small.csv"), text);
    const mem = perSampleDerivatives(target, memoryRows(text), { secondOrder: true, batchSize: 1000 });
    for (const batchSize of [7, 256, 1000]) {
      const file = perSampleDerivatives(target, fileRows(join(dir, "small.csv")), {
        secondOrder: true,
        batchSize,
      });
      expect(file.perSample).toEqual(mem.perSample);
    }
    expect(mem.perSample.rows.length).toBe(700);
  });

  it("analyze on the file equals analyze in memory (summary, attribution, verification, what-if)", () => {
    const text = readFileSync(join(dir, "rows.csv"), "utf8");
    const opts = {
      finance: { price: "price" },
      whatif: [{ name: "x +0.05", shock: { x: { absolute: 0.05 } } }],
      batchSize: 256,
    };
    const a = analyze(target, memoryRows(text), opts);
    const b = analyze(target, fileRows(join(dir, "rows.csv")), opts);
    const strip = (r: typeof a) => ({ ...r, meta: { ...r.meta, timingsMs: null } });
    expect(strip(b)).toEqual(strip(a));
  });

  it("gathers any rows (unordered, repeated) as memory does, and reads on for later ranges", () => {
    const text = readFileSync(join(dir, "rows.csv"), "utf8");
    const mem = memoryRows(text);
    const file = fileRows(join(dir, "rows.csv"));
    const rows = [2999, 5, 5, 0, 1234, 17, 2999];
    expect(file.gather(rows)).toEqual(mem.gather(rows));
    expect(file.range(10, 5)).toEqual(mem.range(10, 5).map((a) => a.slice()));
    expect(file.range(2990, 10)).toEqual(mem.range(2990, 10).map((a) => a.slice()));
    expect(file.range(0, 3)).toEqual(mem.range(0, 3).map((a) => a.slice())); // back to the top
  });

  it("reads the file in chunks of at most 1 MiB and never holds it: the first rows cost one chunk", () => {
    const path = join(dir, "big.csv");
    writeFileSync(path, csvText(80_000, 9)); // about 3.5 MB
    const size = readFileSync(path).length;
    expect(size).toBeGreaterThan(3 * CHUNK);
    const { stats, open } = counting();
    const rows = fileRows(path, open);
    expect(stats.largest).toBeLessThanOrEqual(CHUNK);
    expect(stats.bytes).toBe(size); // the checking read
    const before = { ...stats };
    rows.range(0, 1000);
    rows.range(1000, 1000);
    expect(stats.opens - before.opens).toBe(1);
    expect(stats.reads - before.reads).toBe(1); // one chunk, not the file
    expect(stats.bytes - before.bytes).toBe(CHUNK);
    for (let s = 2000; s < 80_000; s += 4096) rows.range(s, Math.min(4096, 80_000 - s));
    expect(stats.bytes - before.bytes).toBe(size); // one pass reads the file once
    expect(stats.largest).toBeLessThanOrEqual(CHUNK);
  });

  it("reads the file once for a set of gathered rows, and not again when the same rows are asked for", () => {
    const { stats, open } = counting();
    const rows = fileRows(join(dir, "rows.csv"), open);
    const text = readFileSync(join(dir, "rows.csv"), "utf8");
    const picked = [2500, 3, 1999, 3];
    const before = stats.opens;
    const first = rows.gather(picked);
    expect(stats.opens - before).toBe(1);
    const reads = stats.reads;
    expect(rows.gather(picked.slice().reverse())).toEqual(memoryRows(text).gather(picked.slice().reverse()));
    expect(stats.reads).toBe(reads); // served from the rows already gathered
    expect(first).toEqual(memoryRows(text).gather(picked));
  });

  it("a cell that changed after the first read is a data error with the file, line and column", () => {
    const path = join(dir, "changing.csv");
    writeFileSync(path, csvText(50));
    const rows = fileRows(path);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[4] = "r3,100,0.5,oops,0.1";
    writeFileSync(path, lines.join("\n"));
    expect(() => rows.range(0, 50)).toThrow(/changing\.csv line 5, column 'x1': 'oops' is not a number/);
    writeFileSync(path, csvText(40));
    expect(() => rows.range(0, 50)).toThrow(/40 data rows now, 50 when it was first read/);
  });
});

describe("the CLI on a streamed file", () => {
  it("names file, line and column of a non-finite cell, and counts such rows with --allow-nonfinite", async () => {
    const lines = csvText(40).split("\n");
    lines[7] = "r6,100,0.5,inf,0.1";
    lines[20] = "r19,nan,0.5,0.2,0.1";
    writeFileSync(join(dir, "nf.csv"), lines.join("\n"));
    const argv = ["analyze", "m.keras", "-d", "nf.csv", "-i", "x=x0..x2", "-q", "--json", "-"];
    const refused = await run(argv);
    expect(refused.code).toBe(EXIT.data);
    // Inputs are checked in order: price (line 21) before x (line 8).
    expect(refused.err).toMatch(
      /nf\.csv line 21, column 'price': 'nan' is not a finite number \(1 such cell/,
    );
    const infOnly = csvText(40).split("\n");
    infOnly[7] = "r6,100,0.5,inf,0.1";
    writeFileSync(join(dir, "inf.csv"), infOnly.join("\n"));
    const onlyX = await run(argv.map((a) => (a === "nf.csv" ? "inf.csv" : a)));
    expect(onlyX.code).toBe(EXIT.data);
    expect(onlyX.err).toMatch(/inf\.csv line 8, column 'x1': 'inf' is not a finite number/);
    const kept = await run([
      "derivatives",
      "m.keras",
      "-d",
      "nf.csv",
      "-i",
      "x=x0..x2",
      "--allow-nonfinite",
      "--out",
      "d.json",
    ]);
    expect(kept.code).toBe(EXIT.ok);
    expect(kept.err).toMatch(/2 of 40 rows carry non-finite values/);
    const d = JSON.parse(readFileSync(join(dir, "d.json"), "utf8"));
    expect(d.nonFinite).toMatchObject({ inputRows: 2, inputValues: 2 });
    expect(d.perSample.values[19][0]).toBeNull(); // price NaN in, NaN (null) out
  });

  it("`gradlens whatif` gives the numbers `analyze --shock` gives (the same engine code)", async () => {
    const common = ["m.keras", "-d", "rows.csv", "-i", "x=x0..x2", "-q"];
    const shocks = ["--shock", "price:+1%", "--shock", "x:+0.05"];
    const w = await run(["whatif", ...common, ...shocks, "--json", "w.json"]);
    const a = await run(["analyze", ...common, ...shocks, "--json", "a.json"]);
    expect([w.code, a.code]).toEqual([0, 0]);
    const fromWhatif = JSON.parse(readFileSync(join(dir, "w.json"), "utf8"));
    const fromAnalyze = JSON.parse(readFileSync(join(dir, "a.json"), "utf8")).whatif;
    expect(fromWhatif.rows).toBe(3000);
    expect(fromWhatif).toEqual(fromAnalyze);
  });

  it("taylorWhatIf over every row equals analyze's what-if, and a row subset still agrees on those rows", () => {
    const text = readFileSync(join(dir, "rows.csv"), "utf8");
    const scenarios: Scenario[] = [
      { name: "price +1%", shock: { price: { relative: 0.01 } } },
      { name: "x0 -0.1", shock: { x: { index: 0, absolute: -0.1 } } },
    ];
    const lib = taylorWhatIf(target, memoryRows(text), scenarios, { keepPerSample: 5 });
    const viaAnalyze = analyze(target, memoryRows(text), { whatif: scenarios, keepPerSample: 5 }).whatif;
    expect(lib).toEqual(viaAnalyze);
    const some = taylorWhatIf(target, memoryRows(text), scenarios, {
      rows: [0, 1, 2, 3, 4],
      keepPerSample: 5,
    });
    const s = some.scenarios[0].perSample!;
    const all = lib.scenarios[0].perSample!;
    expect(s.exact).toEqual(all.exact);
    s.firstOrder.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(all.firstOrder[r][k]!, 12)));
  });
});
