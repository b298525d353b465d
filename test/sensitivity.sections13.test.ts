/**
 * Issue 13's cores as `analyze` sections: each section equals its standalone core on the same
 * data and seed (same numbers), is off by default, and is driven by its CLI flag.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, Input, layers, Model, random, resetNames, type Tensor } from "../src/index.js";
import "../src/io/index.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { formatAnalysis } from "../src/report/terminal.js";
import { analyze } from "../src/sensitivity/analyze.js";
import { crossedDerivatives } from "../src/sensitivity/index.js";
import type { SensitivityResult } from "../src/sensitivity/schema.js";

const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);
const PI = Math.PI;
// Ishigami (a = 7, b = 0.1).
const ishigami = ({ x }: Record<string, Tensor>) =>
  col(x, 0)
    .sin()
    .add(col(x, 1).sin().square().mul(7))
    .add(col(x, 2).pow(4).mul(0.1).mul(col(x, 0).sin()));
const names = { featureNames: { x: ["x1", "x2", "x3"] } };
const n = 600;
const x = random.uniform([n, 3], { seed: 5, low: -PI, high: PI });
// Only what the test is about: the other sections off so the runs stay short.
const lean = { attributionSamples: 0, verifySamples: 0, dgsm: false, ...names, seed: 3 } as const;

describe("sections are off by default", () => {
  it("leaves interactions, effects, sobol and constraints null", () => {
    const r = analyze(ishigami, { x }, lean);
    expect(r.interactions).toBeNull();
    expect(r.meta.secondOrder).toBe(false);
  });
});

describe("interactions section", () => {
  const r = analyze(ishigami, { x }, { ...lean, interactions: { bootstrap: 50 }, batchSize: 128 });
  it("equals crossedDerivatives on the same rows and seed, ranked by ν", () => {
    const core = crossedDerivatives(ishigami, { x }, { ...names, seed: 3, bootstrap: 50 });
    expect(r.meta.secondOrder).toBe(true);
    expect(r.interactions).toEqual(core);
    expect(r.interactions!.pairs[0].features).toEqual(["x1", "x3"]);
    expect(r.interactions!.pairs[1].nu).toBe(0);
  });
  it("shows the top pairs in the terminal", () => {
    const text = formatAnalysis(r);
    expect(text).toContain("Interactions (crossed derivatives)");
    expect(text).toMatch(/^x1 × x3 +\d/m);
  });
  it("refuses interactions with secondOrder: false", () => {
    expect(() => analyze(ishigami, { x }, { ...lean, interactions: true, secondOrder: false })).toThrow(
      /interactions need secondOrder/,
    );
  });
});

// ---- CLI ----
let dir: string;
const N = 30;
async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
const readJson = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as SensitivityResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-s13-"));
  const lines = ["price,a,b,c"];
  for (let i = 0; i < N; i++)
    lines.push(`${90 + i},${Math.sin(i) / 2},${Math.cos(i) / 3},${(i % 7) / 10 - 0.3}`);
  writeFileSync(join(dir, "lin.csv"), lines.join("\n") + "\n");
  // y = price + 2a + 3b + 4c + 0.5
  resetNames();
  const price = Input({ shape: [1], name: "price" });
  const xin = Input({ shape: [3], name: "x" });
  const dense = new layers.Dense({ units: 1, name: "y" });
  const y = dense.apply(new layers.Concatenate({}).apply([price, xin]));
  const m = new Model({ inputs: [price, xin], outputs: y, name: "lin" });
  dense.setWeights([array([[1], [2], [3], [4]]), array([0.5])]);
  await m.save(join(dir, "lin.keras"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = [
  "analyze",
  "lin.keras",
  "-d",
  "lin.csv",
  "-q",
  "--attribution-samples",
  "0",
  "--verify-samples",
  "0",
];

describe("CLI flags of the issue-13 sections", () => {
  it("--interactions: a table and result.interactions (a linear model has none)", async () => {
    const r = await run([...base, "--interactions", "--json", "i.json"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Interactions (crossed derivatives)");
    const json = readJson("i.json");
    expect(json.interactions!.pairs).toHaveLength(6);
    expect(json.interactions!.pairs.every((p) => p.nu === 0)).toBe(true);
    expect(json.meta.secondOrder).toBe(true);
  });
});
