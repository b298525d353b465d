/**
 * `gradlens analyze --expect FEATURE:KIND[,KIND]`: shape constraints checked beside the analysis,
 * a table on stdout, the checks in the JSON, and exit 1 when one is violated (like verification).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../src/io/index.js";
import { saveLinearModel } from "./helpers/linearModel.js";
import { EXIT } from "../src/cli/errors.js";
import { parseExpect } from "../src/cli/expect.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import type { ConstraintsResult } from "../src/sensitivity/index.js";

let dir: string;
const N = 30;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-expect-"));
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

describe("analyze --expect", () => {
  it("passes satisfied constraints with exit 0 and prints the table", async () => {
    const r = await run([...base, "--expect", "a:increasing,convex", "--expect", "price:increasing"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Shape constraints (exact derivatives)");
    expect(r.out).toMatch(/^a +increasing +satisfied +0\/30 /m);
    expect(r.out).toMatch(/^a +convex +satisfied /m);
  });

  it("exits 1 naming a violated constraint, and writes the checks into the JSON", async () => {
    const r = await run([
      ...base,
      "--expect",
      "b:decreasing",
      "--expect",
      "c:increasing",
      "--json",
      "r.json",
    ]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.err).toContain("shape constraints VIOLATED: b decreasing");
    expect(r.out).toMatch(/^b +decreasing +VIOLATED +30\/30 +100\.0% +100\.0% +3 /m);
    const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { constraints: ConstraintsResult };
    const [b, c] = json.constraints.checks;
    expect(b).toMatchObject({ feature: "b", expect: "decreasing", violations: 30, share: 1, boxShare: 1 });
    expect(b.magnitude).toBeCloseTo(3, 12);
    expect(c).toMatchObject({ feature: "c", status: "satisfied" });
  });

  it("refuses unknown features and shapes with exit 2 and a hint", async () => {
    const typo = await run([...base, "--expect", "a:incresing"]);
    expect(typo.code).toBe(EXIT.usage);
    expect(typo.err).toContain("'incresing' is not a shape (did you mean 'increasing'?)");
    const feature = await run([...base, "--expect", "d:increasing"]);
    expect(feature.code).toBe(EXIT.usage);
    expect(feature.err).toContain("'d' is not a feature");
    expect(() => parseExpect(["price"], ["price"], "analyze")).toThrow(/write FEATURE:KIND/);
    expect(parseExpect(["x[1]:convex", "x[1]:convex,concave"], ["x[1]"], "analyze")).toEqual({
      "x[1]": ["convex", "concave"],
    });
  });
});
