/**
 * Issue 13's cores as `analyze` sections: each section equals its standalone core on the same
 * data and seed (same numbers), is off by default, and is driven by its CLI flag.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, ValueError, random, type Tensor } from "../src/index.js";
import "../src/io/index.js";
import { saveLinearModel } from "./helpers/linearModel.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { analyzeCommand } from "../src/cli/commands/analyze.js";
import { main } from "../src/cli/main.js";
import { parseCommandArgs } from "../src/cli/options.js";
import { formatAnalysis } from "../src/report/terminal.js";
import { analyze } from "../src/sensitivity/analyze.js";
import {
  checkConstraints,
  crossedDerivatives,
  effects,
  sobolIndices,
  sobolMarginalsFromData,
} from "../src/sensitivity/index.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

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
    expect(r.effects).toBeNull();
    expect(r.sobol).toBeNull();
    expect(r.constraints).toBeNull();
    expect(r.meta.secondOrder).toBe(false);
  });
});

describe("interactions section", () => {
  const r = analyze(ishigami, { x }, { ...lean, interactions: { bootstrap: 50 }, batchSize: 128 });
  it("equals crossedDerivatives on the same rows and seed, ranked by ν", () => {
    const core = crossedDerivatives(ishigami, { x }, { ...names, seed: 3, bootstrap: 50 });
    expect(r.meta.secondOrder).toBe(true);
    // attributionSamples: 0 — no explained rows, so no Integrated Hessians.
    expect(r.interactions).toEqual({ ...core, integratedHessians: null });
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

describe("constraints section", () => {
  // y = a³ + a + exp(b): increasing in a and b, convex in b, not convex in a where a < 0.
  const monotone = ({ a, b }: Record<string, Tensor>) => a.pow(3).add(a).add(b.exp());
  const data = {
    a: random.uniform([300], { seed: 1, low: -1, high: 1 }),
    b: random.normal([300], { seed: 2 }),
  };
  const expectShapes = { a: ["increasing", "convex"], b: ["increasing", "convex"] } as const;
  const r = analyze(monotone, data, {
    ...lean,
    featureNames: undefined,
    expect: expectShapes,
    batchSize: 64,
  });
  it("equals checkConstraints on the same rows and seed", () => {
    const core = checkConstraints(monotone, data, { expect: expectShapes, seed: 3 });
    expect(r.constraints).toEqual(core);
    expect(r.constraints!.checks.map((c) => [c.feature, c.expect, c.status])).toEqual([
      ["a", "increasing", "satisfied"],
      ["a", "convex", "violated"],
      ["b", "increasing", "satisfied"],
      ["b", "convex", "satisfied"],
    ]);
    // The violating rows are exactly those with a < 0 (∂²y/∂a² = 6a).
    const av = data.a.data() as Float64Array;
    expect(r.constraints!.checks[1].violations).toBe(av.filter((v) => v < 0).length);
    expect(formatAnalysis(r)).toMatch(/^a +convex +VIOLATED /m);
  });
  it("refuses an unknown feature before the pass", () => {
    expect(() =>
      analyze(monotone, data, { ...lean, featureNames: undefined, expect: { c: ["convex"] } }),
    ).toThrow(/'c' is not a feature/);
  });
});

describe("effects section", () => {
  // Additive: y = sin(a) + b², so ALE(a) = sin(a) up to a constant and dICE(a) = cos(a).
  const additive = ({ a, b }: Record<string, Tensor>) => a.sin().add(b.square());
  const data = {
    a: random.uniform([400], { seed: 7, low: -3, high: 3 }),
    b: random.normal([400], { seed: 8 }),
  };
  const own = { ...lean, featureNames: undefined, batchSize: 100 };
  it("named features equal effects() on the same rows and seed", () => {
    const o = { features: ["a"], grid: 9, iceRows: 12 };
    const r = analyze(additive, data, { ...own, effects: o });
    expect(r.effects).toEqual(effects(additive, data, { ...o, seed: 3 }));
    const e = r.effects!.features[0];
    const shift = e.ale[0]! - Math.sin(e.grid[0]!);
    // Within the line fit's discretisation on 8 bins of width 0.75 (the exact oracle is in the effects tests).
    e.grid.forEach((g, t) => expect(Math.abs(e.ale[t]! - Math.sin(g!) - shift)).toBeLessThan(0.02));
    e.dice.forEach((c) => c.forEach((v, t) => expect(v).toBeCloseTo(Math.cos(e.grid[t]!), 12)));
    const text = formatAnalysis(r);
    expect(text).toContain("Effects of a");
    expect(text).toMatch(/^ *a +PDP +ALE +mean ∂y\/∂x \(ICE\)/m);
  });
  it("default features: ranked from the analysis's own pass, equal to effects()", () => {
    const r = analyze(additive, data, { ...own, effects: { top: 1, grid: 5, iceRows: 4 } });
    expect(r.effects).toEqual(effects(additive, data, { top: 1, grid: 5, iceRows: 4, seed: 3 }));
    expect(r.effects!.selection.method).toBe("scaled-mean-abs-derivative");
  });
  it("refuses an unknown feature before the pass", () => {
    expect(() => analyze(additive, data, { ...own, effects: { features: ["c"] } })).toThrow(
      /analyze: effects: 'c' is not a feature/,
    );
  });
});

describe("sobol section", () => {
  const m = 3000;
  const xs = random.uniform([m, 3], { seed: 9, low: -PI, high: PI });
  const r = analyze(ishigami, { x: xs }, { ...lean, dgsm: true, bootstrap: 100, sobol: { samples: 2048 } });
  it("equals sobolIndices over the data's empirical marginals, with the same seed", () => {
    const v = xs.data() as Float64Array;
    const columns = Object.fromEntries(
      ["x1", "x2", "x3"].map((f, j) => [f, Float64Array.from({ length: m }, (_, i) => v[i * 3 + j])]),
    );
    const core = sobolIndices((x) => ishigami({ x }), sobolMarginalsFromData(columns), {
      samples: 2048,
      seed: 3,
      bootstrap: 100,
      outputNames: r.outputs.components.map((c) => c.name),
    });
    expect(r.sobol).toEqual(core);
    expect(r.sobol!.evaluations).toBe(2048 * 5);
  });
  it("is near Ishigami's analytic indices and under the DGSM bound", () => {
    const first = [0.3139, 0.4424, 0];
    const total = [0.5576, 0.4424, 0.2437];
    r.sobol!.indices.forEach((i, j) => {
      expect(Math.abs(i.first! - first[j])).toBeLessThan(0.05);
      expect(Math.abs(i.total! - total[j])).toBeLessThan(0.05);
      expect(r.dgsm!.entries[j].sobolTotalUpperBound!).toBeGreaterThan(i.total!);
    });
    const text = formatAnalysis(r);
    expect(text).toContain("Sobol' indices (variance-based)");
    expect(text).toMatch(/DGSM bound/);
  });
  it("refuses integer inputs, naming them, before any work", () => {
    const model = ({ x, k }: Record<string, Tensor>) => x.sum({ axis: 1 }).mul(k.astype("float64"));
    const k = array(
      [...Array(20).keys()].map((i) => (i % 3) + 1),
      { dtype: "int32" },
    );
    const run = () =>
      analyze(
        model,
        { x: random.normal([20, 2], { seed: 1 }), k },
        { ...lean, featureNames: undefined, sobol: true },
      );
    expect(run).toThrow(ValueError);
    expect(run).toThrow(/'k' \(int32\) is not differentiated/);
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
  await saveLinearModel(join(dir, "lin.keras"));
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

  it("--effects [FEATURES]: named, or the top features when left out", async () => {
    const named = await run([...base, "--effects", "a,price", "--json", "e.json"]);
    expect(named.code).toBe(0);
    expect(named.out).toContain("Effects of a");
    const e = readJson("e.json").effects!;
    expect(e.features.map((f) => f.feature)).toEqual(["a", "price"]);
    // Linear model: slope 2 in a, ALE and PDP straight lines.
    const a = e.features[0];
    a.dice.forEach((c) => c.forEach((v) => expect(v).toBeCloseTo(2, 12)));
    a.grid.forEach((g, t) => expect(a.ale[t]! - a.ale[0]! - 2 * (g! - a.grid[0]!)).toBeCloseTo(0, 10));
    const bare = await run([...base, "--effects", "--json", "top.json"]);
    expect(bare.code).toBe(0);
    expect(readJson("top.json").effects!.selection.method).toBe("scaled-mean-abs-derivative");
    const last = await run([...base, "--effects"]);
    expect(last.code).toBe(0);
    const typo = await run([...base, "--effects", "aa"]);
    expect(typo.code).toBe(EXIT.usage);
    expect(typo.err).toContain("'aa' is not a feature");
  });

  it("--effects takes its value only when it cannot be the model", () => {
    const parse = (argv: string[]) => {
      const a = parseCommandArgs(analyzeCommand, argv);
      return [a.values.effects, a.positionals];
    };
    expect(parse(["--effects", "m.keras", "-d", "x.csv"])).toEqual(["", ["m.keras"]]);
    expect(parse(["--effects=a,b", "m.keras"])).toEqual(["a,b", ["m.keras"]]);
    expect(parse(["m.keras", "--effects", "a"])).toEqual(["a", ["m.keras"]]);
    expect(parse(["-d", "x.csv", "m.keras", "--effects", "--top", "3"])).toEqual(["", ["m.keras"]]);
  });

  it("--sobol N: indices of the linear model (first = total = its variance shares)", async () => {
    const r = await run([...base, "--sobol", "512", "--json", "s.json"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Sobol' indices (variance-based)");
    const s = readJson("s.json").sobol!;
    expect(s.evaluations).toBe(512 * 6);
    for (const i of s.indices) expect(Math.abs(i.first! - i.total!)).toBeLessThan(0.02);
    const bad = await run([...base, "--sobol", "1"]);
    expect(bad.code).toBe(EXIT.usage);
  });

  it("--expect: the constraints section in the table and the JSON; exit 1 when violated", async () => {
    const ok = await run([...base, "--expect", "a:increasing,convex", "--json", "ok.json"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^a +increasing +satisfied +0\/30 /m);
    expect(readJson("ok.json").constraints!.violated).toBe(0);
    const bad = await run([...base, "--expect", "b:decreasing", "--json", "bad.json"]);
    expect(bad.code).toBe(EXIT.analysis);
    expect(bad.err).toContain("shape constraints VIOLATED: b decreasing");
    expect(readJson("bad.json").constraints!.checks[0]).toMatchObject({
      feature: "b",
      violations: 30,
      share: 1,
    });
  });
});
