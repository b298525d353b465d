/**
 * `gradlens analyze --interactions` and Integrated Hessians that cannot be trusted: on a ReLU
 * network (zero Hessian almost everywhere) the completeness checks fail, the command says why and
 * exits 1 unless --allow-unconverged (which still flags them); a smooth network passes with exit 0.
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

async function mlp(file: string, activation: "relu" | "tanh") {
  resetNames();
  const m = new Sequential([
    new layers.Dense({
      units: 8,
      activation,
      inputShape: [3],
      kernelInitializer: initializers.randomNormal({ stddev: 1, seed: 3 }),
      biasInitializer: initializers.randomNormal({ stddev: 0.5, seed: 4 }),
    }),
    new layers.Dense({ units: 1, kernelInitializer: initializers.randomNormal({ stddev: 1, seed: 5 }) }),
  ]);
  await m.save(join(dir, file));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-cli-ih-"));
  await mlp("relu.keras", "relu");
  await mlp("tanh.keras", "tanh");
  const rows = Array.from({ length: 30 }, (_, i) =>
    [Math.sin(i), Math.cos(1.3 * i), ((i % 7) - 3) / 2].join(","),
  );
  writeFileSync(join(dir, "x.csv"), ["a,b,c", ...rows].join("\n") + "\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = [
  "-d",
  "x.csv",
  "--interactions",
  "--attribution-samples",
  "4",
  "--verify-samples",
  "0",
  "--bootstrap",
  "0",
  "-q",
];

describe("analyze --interactions: Integrated Hessians", () => {
  it("a smooth network: converged, exit 0, the table and the JSON", async () => {
    const r = await run(["analyze", "tanh.keras", ...base, "--json", "t.json"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Integrated Hessians \(explained rows\)/);
    const j: SensitivityResult = JSON.parse(readFileSync(join(dir, "t.json"), "utf8"));
    const ih = j.interactions!.integratedHessians!;
    expect(ih.converged).toBe(true);
    expect(ih.rows).toEqual(j.attribution!.rows);
  });

  it("a ReLU network: exit 1 saying why (ReLU, softplus), exit 0 with --allow-unconverged, still flagged", async () => {
    const r = await run(["analyze", "relu.keras", ...base]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.err).toMatch(/Integrated Hessians not converged/);
    expect(r.err).toMatch(/ReLU/);
    expect(r.err).toMatch(/--allow-unconverged/);
    expect(r.out).toMatch(/NOT CONVERGED/);
    const ok = await run(["analyze", "relu.keras", ...base, "--allow-unconverged", "--json", "r.json"]);
    expect(ok.code).toBe(0);
    const j: SensitivityResult = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(j.interactions!.integratedHessians!.converged).toBe(false);
    expect(j.interactions!.integratedHessians!.trustworthy.flat()).toContain(false);
  });
});
