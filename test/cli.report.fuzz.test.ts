/**
 * `gradlens report` on hand-broken saved results: every part of a real result (every section,
 * every field of the first and last entry of every list) is mutated in a few ways (removed,
 * a string, null, an array one shorter, a `__proto__` key) and the report, terminal tables
 * and CSV export must either work (exit 0) or refuse the file as data (exit 3, naming the JSON
 * path) — never crash (exit 70).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import "../src/io/index.js";
import { memoryIO } from "../src/cli/io.js";
import { checkResultShape, ResultShapeError } from "../src/cli/resultShape.js";
import { csvTableText, resultCsvTables } from "../src/report/csvTables.js";
import { renderHtmlReport } from "../src/report/html.js";
import { formatAnalysis } from "../src/report/terminal.js";
import { main } from "../src/cli/main.js";
import { saveLinearModel } from "./helpers/linearModel.js";

let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed result, edited freely
type Json = any;
let saved: Json;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-report-fuzz-"));
  const rows = Array.from({ length: 24 }, (_, i) => [
    90 + i,
    Math.sin(i) / 2,
    Math.cos(i) / 3,
    (i % 7) / 10 - 0.3,
  ]);
  writeFileSync(join(dir, "lin.csv"), ["price,a,b,c", ...rows.map((r) => r.join(","))].join("\n") + "\n");
  await saveLinearModel(join(dir, "lin.keras"));
  const analyzed = await run([
    "analyze",
    "lin.keras",
    "-d",
    "lin.csv",
    "--finance",
    "price=price",
    "--keep-per-sample",
    "4",
    "--attribution-samples",
    "0,1",
    "--verify-samples",
    "0,1",
    "--shock",
    "price:+1%",
    "--shock",
    "x[1]:-0.5",
    "--whatif-samples",
    "0,1",
    "--interactions",
    "--effects=a",
    "--sobol",
    "32",
    "--expect",
    "a:increasing",
    "--json",
    "full.json",
    "-q",
  ]);
  expect([0, 1], analyzed.err).toContain(analyzed.code);
  saved = JSON.parse(readFileSync(join(dir, "full.json"), "utf8"));
}, 60_000);

type Step = string | number;
const label = (path: Step[]) =>
  path
    .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
    .join("")
    .slice(1);

/** Paths to fuzz under `root`: every object field, and the first and last element of every array. */
function paths(v: Json, path: Step[], out: Step[][]): Step[][] {
  if (path.length > 0) out.push(path);
  if (Array.isArray(v)) {
    for (const i of new Set([0, v.length - 1])) if (i >= 0) paths(v[i], [...path, i], out);
  } else if (v !== null && typeof v === "object")
    for (const k of Object.keys(v)) paths(v[k], [...path, k], out);
  return out;
}

/** A mutation of the value at a path (applied to its parent); false when it does not apply. */
const MUTATIONS: [string, (parent: Json, key: Step) => boolean][] = [
  ["removed", (p, k) => (Array.isArray(p) ? p.splice(k as number, 1).length > 0 : delete p[k])],
  ["a string", (p, k) => ((p[k] = "x"), true)],
  ["null", (p, k) => ((p[k] = null), true)],
  ["a number", (p, k) => ((p[k] = 7), true)],
  ["one shorter", (p, k) => Array.isArray(p[k]) && p[k].length > 0 && (p[k].pop(), true)],
  [
    "with a __proto__ key",
    (p, k) =>
      p[k] !== null &&
      typeof p[k] === "object" &&
      !Array.isArray(p[k]) &&
      (Object.defineProperty(p[k], "__proto__", { value: { polluted: 1 }, enumerable: true }), true),
  ],
];

const TOP = [
  "inputs",
  "outputs",
  "perSample",
  "summary",
  "attribution",
  "dgsm",
  "verification",
  "whatif",
  "interactions",
  "effects",
  "sobol",
  "constraints",
  "meta",
];

describe("report on a mutated saved result: exit 0 or 3, never 70", () => {
  it("the unmutated result renders (and has every section)", async () => {
    for (const key of TOP) expect(saved[key], key).not.toBeNull();
    const r = await run(["report", "full.json", "--html", "full.html", "--print", "--csv", "csv"]);
    expect(r.err).toContain("wrote full.html");
    expect(r.code).toBe(0);
  });

  // End to end through the CLI: exit 3 and the JSON path, for HTML + tables and for the CSV export.
  const named: [string, (j: Json) => void, RegExp][] = [
    [
      "what-if outputs a string",
      (j) => (j.whatif.scenarios[0].outputs = "x"),
      /whatif\.scenarios\[0\]\.outputs: expected an array, got "x"/,
    ],
    [
      "what-if error stats missing",
      (j) => delete j.whatif.scenarios[1].outputs[0].firstOrderError,
      /whatif\.scenarios\[1\]\.outputs\[0\]\.firstOrderError: expected an object, got nothing/,
    ],
    [
      "verification rows a string",
      (j) => (j.verification.rows = "0,1"),
      /verification\.rows: expected an array of numbers, got "0,1"/,
    ],
    [
      "a DGSM entry's nu a string",
      (j) => (j.dgsm.entries[0].nu = "big"),
      /dgsm\.entries\[0\]\.nu: expected a number or null, got "big"/,
    ],
    [
      "elasticity stats null",
      (j) => (j.summary.elasticities.entries[0].stats = null),
      /summary\.elasticities\.entries\[0\]\.stats: expected an object, got null/,
    ],
    [
      "per-sample deltas of the wrong length",
      (j) => j.perSample.finance.delta[0][0].pop(),
      /perSample\.finance\.delta\[0\]\[0\]: length 0, but summary\.finance\.priceFeatures has 1 entries/,
    ],
    [
      "a ranking entry without featureIndex",
      (j) => delete j.summary.ranking[0].byScaled[0].featureIndex,
      /summary\.ranking\[0\]\.byScaled\[0\]\.featureIndex: expected an integer index, got nothing/,
    ],
  ];
  for (const [what, breakIt, message] of named)
    it(`exit 3: ${what}`, async () => {
      const j = structuredClone(saved);
      breakIt(j);
      writeFileSync(join(dir, "named.json"), JSON.stringify(j));
      for (const extra of [["--print"], ["--csv", "namedcsv"]]) {
        const r = await run(["report", "named.json", "--html", "named.html", ...extra]);
        expect(r.err).toMatch(message);
        expect(r.err).toMatch(/named\.json/);
        expect(r.code).toBe(3);
      }
    });

  for (const top of TOP)
    it(`mutations of ${top}`, async () => {
      const crashes: string[] = [];
      for (const path of paths(saved[top], [top], [])) {
        for (const [how, mutate] of MUTATIONS) {
          const j = structuredClone(saved);
          const parent = path.slice(0, -1).reduce((o: Json, s) => o[s], j);
          if (!mutate(parent, path[path.length - 1])) continue;
          // What `gradlens report --print --csv` does after reading the file, in process (the
          // end-to-end exit code is checked on a few cases below): check, or render everything.
          try {
            const r = JSON.parse(JSON.stringify(j));
            checkResultShape(r);
            formatAnalysis(r);
            renderHtmlReport(r, { scripts: { vega: "", vegaLite: "", vegaEmbed: "" } });
            resultCsvTables(r).map(csvTableText);
          } catch (e) {
            if (!(e instanceof ResultShapeError)) crashes.push(`${label(path)} ${how}: ${String(e)}`);
          }
        }
      }
      expect(crashes).toEqual([]);
    }, 300_000);
});
