/**
 * Units (`--units NAME=UNIT`, option `units`): kept in `meta.units`, shown beside names in the
 * terminal tables and on the report's axes, an input's unit inherited by its features; a name the
 * analysis does not have is a usage error (exit 2) that names it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { random, type Tensor } from "../src/index.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { rankingSpec } from "../src/report/specs/ranking.js";
import { unitOf, withUnit } from "../src/report/units.js";
import { analyze } from "../src/sensitivity/index.js";
import { UnknownUnitNameError } from "../src/sensitivity/result/units.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { writeLinearFixture } from "./helpers/linearModel.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-units-"));
  await writeLinearFixture(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("analyze --units", () => {
  it("labels the tables and the report, and keeps the units in meta.units", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--units",
      "price=USD",
      "--units",
      "x=m",
      "--units",
      "y=EUR",
      "--effects=price",
      "--json",
      "r.json",
      "--html",
      "r.html",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Sensitivities of 'y \[EUR\]'/);
    expect(r.out).toMatch(/σ·mean \|∂y\/∂x\| \[EUR\]/);
    expect(r.out).toMatch(/price \[USD\]/);
    // The input's unit reaches its features.
    expect(r.out).toMatch(/\ba \[m\]/);
    expect(r.out).toMatch(/PDP \[EUR\]/);
    const result: SensitivityResult = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(result.meta.units).toEqual({ price: "USD", x: "m", y: "EUR" });
    const html = readFileSync(join(dir, "r.html"), "utf8");
    expect(html).toContain("output change [EUR] for a one-standard-deviation move");
    expect(html).toContain("price [USD]");
  });

  it("an unknown name is a usage error naming it (with a suggestion)", async () => {
    const r = await run(["analyze", "lin.keras", "-d", "lin.csv", "--units", "prise=USD"]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/--units: 'prise' is not a feature, input or output/);
    expect(r.err).toMatch(/price/);
  });

  it("malformed or repeated specs are usage errors", async () => {
    for (const bad of [["price"], ["=USD"], ["price="], ["price=USD", "price=EUR"]]) {
      const r = await run(["analyze", "lin.keras", "-d", "lin.csv", ...bad.flatMap((b) => ["--units", b])]);
      expect(r.code, bad.join(" ")).toBe(EXIT.usage);
      expect(r.err).toMatch(/--units/);
    }
  });
});

describe("analyze({ units })", () => {
  const f = ({ x }: Record<string, Tensor>) => x.sum({ axis: 1 });
  const x = random.uniform([10, 2], { seed: 1 });

  it("stored in meta.units ({} without), the report helpers read it", () => {
    const r = analyze(f, { x }, { units: { x: "kg" }, attributionSamples: 0 });
    expect(r.meta.units).toEqual({ x: "kg" });
    expect(unitOf(r, "x[0]")).toBe("kg");
    expect(withUnit(r, "x[1]")).toBe("x[1] [kg]");
    expect(analyze(f, { x }, { attributionSamples: 0 }).meta.units).toEqual({});
    // No units, no change: the ranking axis says what it said before.
    const plain = JSON.stringify(rankingSpec(analyze(f, { x }, { attributionSamples: 0 })));
    expect(plain).toContain('"output change for a one-standard-deviation move of the feature"');
  });

  it("refuses unknown names and empty units before the pass", () => {
    expect(() => analyze(f, { x }, { units: { z: "kg" } })).toThrow(UnknownUnitNameError);
    expect(() => analyze(f, { x }, { units: { x: " " } })).toThrow(/non-empty/);
  });
});
