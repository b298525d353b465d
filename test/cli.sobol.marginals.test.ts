/**
 * `--sobol-marginals`: the Sobol' design's marginals from the command line — one kind for every
 * feature or FEATURE=KIND pairs — reaching `result.sobol.marginals`; bad kinds, unknown features
 * and the flag without `--sobol` are usage errors (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { writeLinearFixture } from "./helpers/linearModel.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-sobolm-"));
  await writeLinearFixture(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = ["analyze", "lin.keras", "-d", "lin.csv", "--attribution-samples", "0", "--verify-samples", "0"];

describe("analyze --sobol-marginals", () => {
  it("one kind for all, or per feature (the rest empirical)", async () => {
    const all = await run([...base, "--sobol", "32", "--sobol-marginals", "uniform", "--json", "u.json"]);
    expect(all.code).toBe(0);
    const u: SensitivityResult = JSON.parse(readFileSync(join(dir, "u.json"), "utf8"));
    expect(u.sobol!.marginals.map((m) => m.type)).toEqual(["uniform", "uniform", "uniform", "uniform"]);
    const some = await run([
      ...base,
      "--sobol",
      "32",
      "--sobol-marginals",
      "price=normal,b=uniform",
      "--json",
      "s.json",
    ]);
    expect(some.code).toBe(0);
    const s: SensitivityResult = JSON.parse(readFileSync(join(dir, "s.json"), "utf8"));
    expect(s.sobol!.marginals.map((m) => [m.feature, m.type])).toEqual([
      ["price", "normal"],
      ["a", "empirical"],
      ["b", "uniform"],
      ["c", "empirical"],
    ]);
  });

  it("bad kinds, unknown features, repeats and a missing --sobol are usage errors", async () => {
    for (const [args, msg] of [
      [
        ["--sobol", "32", "--sobol-marginals", "lognormal"],
        /expected empirical, uniform, normal, got 'lognormal'/,
      ],
      [["--sobol", "32", "--sobol-marginals", "prise=uniform"], /'prise' is not a feature/],
      [["--sobol", "32", "--sobol-marginals", "a=uniform,a=normal"], /'a' is given twice/],
      [["--sobol-marginals", "uniform"], /needs --sobol N/],
    ] as const) {
      const r = await run([...base, ...args]);
      expect(r.code, args.join(" ")).toBe(EXIT.usage);
      expect(r.err).toMatch(msg);
    }
  });
});
