/**
 * Every JSON file the CLI reads (data, saved results) is read under a size and a nesting cap,
 * checked before parsing: hostile nesting (issue 9: 5,000 levels overflowed the stack, exit 70) is
 * a data error (exit 3) that names the file, line and column.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, layers, resetNames, Sequential } from "../src/index.js";
import "../src/io/index.js";
import { MAX_JSON_DATA_DEPTH, parseBoundedJson } from "../src/cli/data/json.js";
import { readInputFile } from "../src/cli/data/read.js";
import { CliError, EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const nested = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-json-"));
  resetNames();
  const m = new Sequential([new layers.Dense({ units: 1, inputShape: [2], name: "d" })]);
  m.layers[0].setWeights([array([[1], [2]]), array([0])]);
  await m.save(join(dir, "m.keras"));
  writeFileSync(join(dir, "deep.json"), `{"x": ${nested(5000)}}`);
  writeFileSync(join(dir, "deeprows.json"), nested(5000, "{}"));
  writeFileSync(
    join(dir, "ok.json"),
    JSON.stringify({
      x: [
        [1, 2],
        [3, 4],
      ],
    }),
  );
  writeFileSync(join(dir, "deepresult.json"), `{"schemaVersion": 1, "inputs": ${nested(5000)}}`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("JSON the CLI reads", () => {
  it("refuses data nested 5,000 deep with exit 3, naming file, line and column", async () => {
    for (const file of ["deep.json", "deeprows.json"]) {
      const r = await run(["predict", "m.keras", "-d", file, "-q"]);
      expect(r.code, r.err).toBe(EXIT.data);
      expect(r.err).toMatch(
        new RegExp(`${file.replace(".", "\\.")}: JSON nests deeper than 32 levels \\(line 1, column \\d+\\)`),
      );
      expect(r.err).not.toMatch(/RangeError|stack|internal/i);
    }
    expect((await run(["predict", "m.keras", "-d", "ok.json", "-q"])).code).toBe(EXIT.ok);
  });

  it("refuses a saved result nested 5,000 deep with exit 3", async () => {
    const r = await run(["report", "deepresult.json", "--html", "r.html"]);
    expect(r.code, r.err).toBe(EXIT.data);
    expect(r.err).toMatch(/deepresult\.json: JSON nests deeper than 32 levels/);
  });

  it("counts brackets in strings as text, and accepts nesting up to the cap", () => {
    expect(parseBoundedJson('{"a": "[[[[\\"[[", "b": [[1]]}', "s.json")).toEqual({ a: '[[[["[[', b: [[1]] });
    expect(() => parseBoundedJson(nested(MAX_JSON_DATA_DEPTH), "ok.json")).not.toThrow();
    expect(() => parseBoundedJson(nested(MAX_JSON_DATA_DEPTH + 1), "deep.json")).toThrow(CliError);
  });

  it("refuses a file over the size cap before reading it", () => {
    const e = (() => {
      try {
        readInputFile("ok.json", dir, "data file", 10);
      } catch (err) {
        return err as CliError;
      }
    })();
    expect(e).toBeInstanceOf(CliError);
    expect(e!.code).toBe(EXIT.data);
    expect(e!.message).toMatch(/data file ok\.json has \d+ bytes, over the limit of 10/);
  });
});
