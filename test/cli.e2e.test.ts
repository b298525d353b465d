/**
 * The CLI end to end on the shipped pricing example: `analyze` on examples/pricing/data/pricing.csv
 * with the hidden model file and the pricing wrapper, checked against closed forms computed
 * independently (the hidden MLP built in code, its input gradients by `vmap(grad)`); the shipped
 * files against their generator; and the real processes (tsx entry point, bin/gradlens.mjs).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, grad, vmap, type Tensor } from "../src/index.js";
import { loadModel } from "../src/io/index.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { pricingCsv, PRICING_FEATURES } from "../examples/pricing/data/generate.js";
import { mlpHiddenModel } from "../examples/pricing/models.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CSV = "examples/pricing/data/pricing.csv";
const MODEL = "examples/pricing/hidden.keras";
const WRAP = "examples/pricing/wrapper.mjs";

/** The shipped CSV read with a plain split (no quotes in it), independent of the CLI's parser. */
function readPricing(): { price: number[]; features: number[][] } {
  const [header, ...lines] = readFileSync(join(root, CSV), "utf8").trim().split("\n");
  expect(header.split(",")).toEqual(["price", ...PRICING_FEATURES]);
  const rows = lines.map((l) => l.split(",").map(Number));
  return { price: rows.map((r) => r[0]), features: rows.map((r) => r.slice(1)) };
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("the shipped pricing files", () => {
  it("pricing.csv is what the seeded generator writes (4,000 rows, under 1 MB)", () => {
    const text = readFileSync(join(root, CSV), "utf8");
    expect(text).toBe(pricingCsv());
    expect(text.trim().split("\n")).toHaveLength(4001);
    expect(text.length).toBeLessThan(1_000_000);
  });

  it("hidden.keras computes exactly what mlpHiddenModel() computes", async () => {
    const loaded = await loadModel(join(root, MODEL));
    const { features } = readPricing();
    const x = array(features.slice(0, 500));
    const a = (loaded.call(x) as Tensor).data();
    const b = mlpHiddenModel().call(x).data();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe("gradlens analyze on the shipped CSV with --wrap", () => {
  let dir: string;
  let r: SensitivityResult;
  let out: string;
  let code: number;
  const data = readPricing();
  const n = data.price.length;
  let hidden: number[];
  let dHidden: number[][];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gradlens-e2e-"));
    const io = memoryIO({ cwd: root });
    code = await main(
      [
        "analyze",
        MODEL,
        "--data",
        CSV,
        "--wrap",
        WRAP,
        "--finance",
        "price=price",
        "--shock",
        "price:+1%",
        "--shock",
        "volatility:+0.05",
        "--keep-per-sample",
        "all",
        "--attribution-samples",
        "3",
        "--bootstrap",
        "0",
        "--json",
        join(dir, "result.json"),
        "--quiet",
      ],
      io,
    );
    out = io.out();
    r = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    // Independent closed forms: the hidden network built in code, its gradient per row by vmap(grad).
    const h = mlpHiddenModel();
    const X = array(data.features);
    hidden = Array.from(h.call(X).data());
    const f = (x: Tensor) => h.call(x.reshape([1, -1])).reshape([]);
    dHidden = vmap(grad(f))(X).toArray() as number[][];
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("succeeds and prints the ranked sensitivities, Greeks, verification and what-if tables", () => {
    expect(code).toBe(0);
    expect(out).toContain("Sensitivities of 'value' ranked by σ·mean |∂y/∂x|");
    expect(out).toContain("Greeks: delta = ∂y/∂price");
    expect(out).toMatch(/Finite-difference check on 10 rows \(rtol 1e-6\): passed/);
    expect(out).toMatch(/^price:\+1% +value /m);
    expect(out).toMatch(/^volatility:\+0\.05 +value /m);
  });

  it("names the features after the CSV columns", () => {
    expect(r.inputs.features.map((f) => f.name)).toEqual(["price", ...PRICING_FEATURES]);
    expect(r.outputs.components.map((c) => c.name)).toEqual(["value"]);
    expect(r.perSample!.rows).toHaveLength(n);
  });

  it("has value = (hidden + 1)·price and d value/d price = hidden + 1 on every row", () => {
    let worstValue = 0;
    let worstDelta = 0;
    for (let i = 0; i < n; i++) {
      worstValue = Math.max(worstValue, relErr(r.perSample!.values[i][0]!, (hidden[i] + 1) * data.price[i]));
      worstDelta = Math.max(worstDelta, relErr(r.perSample!.gradients[i][0][0]!, hidden[i] + 1));
      expect(r.perSample!.finance!.delta[i][0][0]).toBe(r.perSample!.gradients[i][0][0]);
    }
    expect(worstValue).toBeLessThan(1e-13);
    expect(worstDelta).toBeLessThan(1e-13);
  });

  it("has d value/d x_j = price·∂hidden/∂x_j, gamma = 0 and cross-gamma = ∂hidden/∂x_j", () => {
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < 8; j++) {
        worst = Math.max(worst, relErr(r.perSample!.gradients[i][0][1 + j]!, data.price[i] * dHidden[i][j]));
        worst = Math.max(worst, relErr(r.perSample!.finance!.crossGamma[i][0][0][1 + j]!, dHidden[i][j]));
      }
    expect(worst).toBeLessThan(1e-11);
    const gamma = r.summary.finance!.gamma[0].stats;
    expect([gamma.min, gamma.max]).toEqual([0, 0]);
    const meanDelta = hidden.reduce((s, h) => s + h + 1, 0) / n;
    expect(relErr(r.summary.finance!.delta[0].stats.mean!, meanDelta)).toBeLessThan(1e-13);
  });

  it("what-if price +1%: exact change 1% of the value, and first order is exact (linear in price)", () => {
    const meanY = hidden.reduce((s, h, i) => s + (h + 1) * data.price[i], 0) / n;
    const o = r.whatif!.scenarios[0].outputs[0];
    expect(relErr(o.meanExactChange!, 0.01 * meanY)).toBeLessThan(1e-12);
    expect(o.firstOrderError.maxAbs!).toBeLessThan(1e-9);
    // Volatility enters the tanh network: the second-order prediction beats the first.
    const v = r.whatif!.scenarios[1].outputs[0];
    expect(v.secondOrderError.maxAbs!).toBeLessThan(v.firstOrderError.maxAbs! / 10);
    expect(r.verification!.passed).toBe(true);
  });
});

describe("real processes", () => {
  const tsxCli = join(root, "node_modules/tsx/dist/cli.mjs");

  it("npx tsx src/cli/main.ts: JSON on stdout, nothing on stderr with --quiet, exit 0", () => {
    const p = spawnSync(
      process.execPath,
      [
        tsxCli,
        "src/cli/main.ts",
        "analyze",
        MODEL,
        "-d",
        CSV,
        "-w",
        WRAP,
        "--attribution-samples",
        "0",
        "--bootstrap",
        "0",
        "--verify-samples",
        "3",
        "--json",
        "-",
        "--quiet",
      ],
      { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } },
    );
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    const result = JSON.parse(p.stdout) as SensitivityResult;
    expect(result.meta.n).toBe(4000);
    expect(result.verification!.passed).toBe(true);
  });

  const built = existsSync(join(root, "dist/cli/main.js"));
  if (!built && !process.env.CI)
    console.warn("cli.e2e: bin/gradlens.mjs not tested — dist/ is not built (npm run build)");
  it.runIf(built || Boolean(process.env.CI))(
    "bin/gradlens.mjs runs the built CLI and returns its exit codes",
    () => {
      const bin = join(root, "bin/gradlens.mjs");
      const v = spawnSync(process.execPath, [bin, "--version"], { cwd: root, encoding: "utf8" });
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      const missing = spawnSync(process.execPath, [bin, "analyze", "nope.keras", "-d", CSV], {
        cwd: root,
        encoding: "utf8",
      });
      expect(missing.status).toBe(4);
      expect(missing.stderr).toContain("model file not found: nope.keras");
    },
  );
});
