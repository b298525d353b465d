/**
 * `gradlens analyze --csv DIR`: one CSV per summary table the result holds, raw numbers, a `row`
 * column on per-row tables that joins back to the data; the folder checked before the run (a
 * file, `-`, or a table name that is an input are usage errors, exit 2); a folder that cannot be
 * made is an output error (exit 6).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { csvTableText, resultCsvTables } from "../src/report/csvTables.js";
import { saveLinearModel } from "./helpers/linearModel.js";

let dir: string;
const N = 30;
const rows = Array.from({ length: N }, (_, i) => ({
  price: 90 + i,
  a: Math.sin(i) / 2,
  b: Math.cos(i) / 3,
  c: (i % 7) / 10 - 0.3,
}));

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** A CSV file as header + rows of strings (no quoted fields in these tables). */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(join(dir, file), "utf8").trimEnd().split("\n");
  return { header: head.split(","), rows: lines.map((l) => l.split(",")) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-csvout-"));
  const csv = ["price,a,b,c", ...rows.map((r) => `${r.price},${r.a},${r.b},${r.c}`)].join("\n");
  writeFileSync(join(dir, "lin.csv"), csv + "\n");
  await saveLinearModel(join(dir, "lin.keras"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("analyze --csv DIR", () => {
  let files: string[];
  let result: import("../src/sensitivity/result/schema.js").SensitivityResult;
  beforeAll(async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--attribution-samples",
      "0,3",
      "--interactions",
      "--effects=a",
      "--sobol",
      "64",
      "--expect",
      "price:increasing",
      "--shock",
      "price:+1%",
      "--bootstrap",
      "10",
      "--json",
      "r.json",
      "--csv",
      "tables/out",
    ]);
    expect(r.err).toMatch(/wrote \d+ CSV table\(s\) to tables\/out/);
    expect(r.code).toBe(0);
    files = readdirSync(join(dir, "tables/out")).sort();
    result = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  });

  it("writes one file per table in the result, and no temporary files", () => {
    for (const t of [
      "ranking",
      "gradients",
      "outputs",
      "attribution",
      "integrated-gradients",
      "dgsm",
      "verification",
      "whatif",
      "interactions",
      "integrated-hessians",
      "effects",
      "ice",
      "sobol",
      "constraints",
    ])
      expect(files, t).toContain(`${t}.csv`);
    expect(files.every((f) => f.endsWith(".csv"))).toBe(true);
    // The files are exactly what the library's tables give for the saved result.
    for (const t of resultCsvTables(result))
      expect(readFileSync(join(dir, "tables/out", `${t.name}.csv`), "utf8")).toBe(csvTableText(t));
  });

  it("ranking: raw numbers of y = price + 2a + 3b + 4c + 0.5", () => {
    const t = readCsv("tables/out/ranking.csv");
    expect(t.header).toEqual(["output", "feature", "rank", "scaled", "meanAbs", "rms"]);
    const byFeature = new Map(t.rows.map((r) => [r[1], r]));
    expect(Number(byFeature.get("c")![4])).toBe(4);
    expect(Number(byFeature.get("price")![4])).toBe(1);
    expect(t.rows.map((r) => r[2])).toEqual(["1", "2", "3", "4"]);
  });

  it("per-row tables carry the data row: IG of row 3 for feature a is 2·(a₃ − mean a)", () => {
    const t = readCsv("tables/out/attribution.csv");
    expect(t.header.slice(0, 4)).toEqual(["row", "output", "feature", "inputXGradient"]);
    const ig = t.header.indexOf("integratedGradients");
    const line = t.rows.find((r) => r[0] === "3" && r[2] === "a")!;
    const mean = rows.reduce((s, r) => s + r.a, 0) / N;
    expect(Number(line[ig])).toBeCloseTo(2 * (rows[3].a - mean), 12);
    expect(new Set(t.rows.map((r) => r[0]))).toEqual(new Set(["0", "3"]));
    // A linear model has no interactions: every off-diagonal Γ is 0.
    const ih = readCsv("tables/out/integrated-hessians.csv");
    expect(ih.header).toEqual(["row", "output", "featureI", "featureJ", "gamma", "trustworthy"]);
    for (const r of ih.rows) if (r[2] !== r[3]) expect(Number(r[4])).toBe(0);
    const ice = readCsv("tables/out/ice.csv");
    expect(ice.header[0]).toBe("row");
    expect(ice.rows.every((r) => Number(r[0]) >= 0 && Number(r[0]) < N)).toBe(true);
  });

  it("intervals as _low/_high columns; quantiles by level", () => {
    expect(readCsv("tables/out/dgsm.csv").header).toEqual(
      expect.arrayContaining(["nuInterval_low", "nuInterval_high"]),
    );
    expect(readCsv("tables/out/gradients.csv").header).toEqual(
      expect.arrayContaining(["stats_mean", "stats_q0.5"]),
    );
  });
});

describe("report --csv DIR", () => {
  it("writes the same tables from the saved result", async () => {
    const r = await run(["report", "r.json", "--html", "r.html", "--csv", "from-report", "-q"]);
    expect(r.code).toBe(0);
    const a = readdirSync(join(dir, "tables/out")).sort();
    expect(readdirSync(join(dir, "from-report")).sort()).toEqual(a);
    for (const f of a)
      expect(readFileSync(join(dir, "from-report", f), "utf8")).toBe(
        readFileSync(join(dir, "tables/out", f), "utf8"),
      );
  });

  it("refuses a table name that is the result file itself (exit 2)", async () => {
    mkdirSync(join(dir, "rr"), { recursive: true });
    writeFileSync(join(dir, "rr/ranking.csv"), readFileSync(join(dir, "r.json")));
    const r = await run(["report", "rr/ranking.csv", "--html", "x.html", "--csv", "rr"]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/refusing to overwrite an input/);
  });
});

describe("analyze --csv refusals", () => {
  it("a file, '-' or an empty name is a usage error before the run", async () => {
    for (const d of ["lin.csv", "-", ""]) {
      const r = await run(["analyze", "lin.keras", "-d", "lin.csv", "--csv", d]);
      expect(r.code, d).toBe(EXIT.usage);
      expect(r.err).toMatch(/--csv/);
    }
  });

  it("an input named like a table in DIR is refused (exit 2), and left as it was", async () => {
    mkdirSync(join(dir, "t"), { recursive: true });
    const before = readFileSync(join(dir, "lin.csv"), "utf8");
    writeFileSync(join(dir, "t/ranking.csv"), before);
    const r = await run(["analyze", "lin.keras", "-d", "t/ranking.csv", "--csv", "t"]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/refusing to overwrite an input/);
    expect(readFileSync(join(dir, "t/ranking.csv"), "utf8")).toBe(before);
  });

  it("a folder that cannot be made is an output error (exit 6)", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--csv",
      "lin.csv/sub",
      "--attribution-samples",
      "0",
    ]);
    expect(r.code).toBe(EXIT.output);
    expect(r.err).toMatch(/cannot create the --csv folder lin\.csv\/sub/);
    expect(existsSync(join(dir, "lin.csv/sub"))).toBe(false);
  });
});
