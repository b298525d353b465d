/**
 * `gradlens analyze` and Integrated Gradients that cannot be trusted: a baseline where the
 * model's output is not finite is refused with the fix (exit 1), and attributions that did not
 * converge make the command exit 1 unless --allow-unconverged (which still flags them).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initializers, layers, resetNames, Sequential } from "../src/index.js";
import "../src/io/index.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-cli-ig-"));
  resetNames();
  // y = relu(x): along a path that crosses 0 the gradient jumps from 0 to 1.
  const relu = new Sequential([
    new layers.Dense({
      units: 1,
      activation: "relu",
      inputShape: [1],
      kernelInitializer: initializers.constant(1),
      biasInitializer: initializers.zeros(),
    }),
  ]);
  await relu.save(join(dir, "relu.keras"));
  const xs = Array.from({ length: 21 }, (_, i) => (i - 10) / 10 + 0.05);
  writeFileSync(join(dir, "x.csv"), ["x", ...xs].join("\n") + "\n");
  writeFileSync(join(dir, "pos.csv"), ["x", ...xs.map((v) => v + 2)].join("\n") + "\n");
  // log(relu(x)): −∞ at the zeros baseline.
  writeFileSync(
    join(dir, "log.mjs"),
    "export const inputNames = ['x'];\nexport default (model, { x }) => model.call(x.reshape([-1, 1])).log();\n",
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = ["--verify-samples", "0", "--attribution-methods", "ig", "--bootstrap", "0", "-q"];

describe("analyze with Integrated Gradients that cannot be trusted", () => {
  it("refuses a baseline whose output is not finite, naming the baseline and the fix", async () => {
    const r = await run([
      "analyze",
      "relu.keras",
      "-d",
      "pos.csv",
      "-w",
      "log.mjs",
      "--baseline",
      "zeros",
      ...base,
    ]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.err).toMatch(/baseline \(zeros\) gives a non-finite output/);
    expect(r.err).toMatch(/-Infinity/);
    expect(r.err).toMatch(/--baseline mean/);
    // The default (mean) baseline works on the same target.
    const ok = await run(["analyze", "relu.keras", "-d", "pos.csv", "-w", "log.mjs", ...base]);
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out).toMatch(/baseline mean\): max \|completeness δ\| .*, converged/);
  });

  it("exits 1 when attributions did not converge, and 0 with --allow-unconverged (still flagged)", async () => {
    const tight = [
      "--ig-method",
      "riemann-left",
      "--ig-steps",
      "1",
      "--ig-max-steps",
      "2",
      "--attribution-samples",
      "0,1,2",
    ];
    const r = await run(["analyze", "relu.keras", "-d", "x.csv", ...tight, ...base, "--json", "r.json"]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.out).toMatch(/WARNING: Integrated Gradients NOT converged/);
    expect(r.out).toMatch(/NOT converged/);
    expect(r.err).toMatch(/--allow-unconverged/);
    expect(r.err).toMatch(/--ig-max-steps/);
    // The JSON is still written, with the flags.
    const j = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as SensitivityResult;
    const ig = j.attribution!.integratedGradients!;
    expect(ig.converged).toBe(false);
    expect(ig.maxSteps).toBe(2);
    expect(ig.trustworthy.flat()).toContain(false);
    const allowed = await run([
      "analyze",
      "relu.keras",
      "-d",
      "x.csv",
      ...tight,
      ...base,
      "--allow-unconverged",
    ]);
    expect(allowed.code).toBe(EXIT.ok);
    expect(allowed.out).toMatch(/WARNING: Integrated Gradients NOT converged/);
    // Adaptive bisection with the default budget converges across the kink.
    const full = await run([
      "analyze",
      "relu.keras",
      "-d",
      "x.csv",
      "--attribution-samples",
      "0,1,2",
      ...base,
    ]);
    expect(full.code).toBe(EXIT.ok);
    expect(full.out).toMatch(/converged/);
    expect(full.out).not.toMatch(/NOT converged/);
  });

  it("a step budget below the method's default first attempt is a usage error (exit 2), not an analysis failure", async () => {
    for (const extra of [
      ["--ig-max-steps", "4"],
      ["--ig-method", "trapezoid", "--ig-max-steps", "16"],
    ]) {
      const r = await run(["analyze", "relu.keras", "-d", "x.csv", ...base, ...extra]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(/--ig-max-steps/);
      expect(r.err).toMatch(/--ig-steps/);
      expect(r.err).not.toMatch(/analysis failed/);
    }
  });

  it("a jump in the target is reported as such, with no advice to use the mean baseline it already uses", async () => {
    writeFileSync(
      join(dir, "floor.mjs"),
      "export const inputNames = ['x'];\nexport default (model, { x }) => model.call(x.reshape([-1, 1])).mul(3).floor();\n",
    );
    const r = await run([
      "analyze",
      "relu.keras",
      "-d",
      "pos.csv",
      "-w",
      "floor.mjs",
      "--attribution-samples",
      "0,20",
      ...base,
    ]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.err).toMatch(/jumps at α ≈/);
    expect(r.err).toMatch(/no number of steps can fix a jump/);
    expect(r.err).not.toMatch(/--baseline mean/);
    expect(r.err).not.toMatch(/--ig-max-steps/);
    expect(r.err).toMatch(/--allow-unconverged/);
  });

  it("documents the options in --help", async () => {
    const h = await run(["analyze", "--help"]);
    expect(h.out).toMatch(/--allow-unconverged/);
    expect(h.out).toMatch(/--ig-max-steps/);
    expect(h.out).toMatch(/mean \(default/);
  });
});
