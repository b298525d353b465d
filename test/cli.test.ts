/**
 * The CLI in-process through `main(argv, io)`: every command, the data formats and column
 * mappings, exit codes and the messages behind them, and the progress bar. Models are small
 * Keras files written in a temporary folder with known derivatives.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initializers, layers, Sequential } from "../src/index.js";
import "../src/io/index.js";
import { saveLinearModel } from "./helpers/linearModel.js";
import { parseNpy, writeNpy } from "../src/io/containers/npy.js";
import { parseCsv } from "../src/cli/data/csv.js";
import { parseJsonData } from "../src/cli/data/json.js";
import { parseCell, didYouMean } from "../src/cli/data/source.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { COMMANDS, main } from "../src/cli/main.js";
import { progressLine } from "../src/cli/progress.js";
import { parseShock } from "../src/cli/shocks.js";
import { GRADLENS_VERSION } from "../src/sensitivity/result/version.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

let dir: string;
const N = 40;
const rows: { id: string; price: number; a: number; b: number; c: number }[] = [];

/** y = price + 2a + 3b + 4c + 0.5, exactly. */
const lin = (r: (typeof rows)[number]) => r.price + 2 * r.a + 3 * r.b + 4 * r.c + 0.5;

async function run(argv: string[], opts: { tty?: boolean } = {}) {
  const io = memoryIO({ cwd: dir, tty: opts.tty });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-cli-"));
  for (let i = 0; i < N; i++)
    rows.push({ id: `r${i}`, price: 90 + i, a: Math.sin(i) / 2, b: Math.cos(i) / 3, c: (i % 7) / 10 - 0.3 });
  const csv = ["id,price,a,b,c", ...rows.map((r) => `${r.id},${r.price},${r.a},${r.b},${r.c}`)].join("\n");
  writeFileSync(join(dir, "lin.csv"), csv + "\n");
  writeFileSync(
    join(dir, "lin.json"),
    JSON.stringify(rows.map(({ price, a, b, c }) => ({ price, a, b, c }))),
  );
  writeFileSync(
    join(dir, "named.json"),
    JSON.stringify({ price: rows.map((r) => r.price), x: rows.map((r) => [r.a, r.b, r.c]) }),
  );
  writeFileSync(join(dir, "prices.csv"), ["price", ...rows.map((r) => r.price)].join("\n"));
  writeFileSync(
    join(dir, "x.npy"),
    writeNpy([N, 3], Float64Array.from(rows.flatMap((r) => [r.a, r.b, r.c]))),
  );
  writeFileSync(join(dir, "bad.csv"), "price,a,b,c\n1,2,3,4\n5,6,7,8\n9,10,abc,12\n");
  writeFileSync(join(dir, "ragged.csv"), "price,a,b,c\n1,2,3,4\n5,6,7\n");
  writeFileSync(join(dir, "zeros.csv"), "x\n0\n0\n0\n");
  writeFileSync(join(dir, "garbage.keras"), "this is not a zip file");

  // A functional model with two named inputs: price (1 number) and x (3 numbers).
  await saveLinearModel(join(dir, "lin.keras"));
  // A ReLU at its kink: autodiff says 0, central differences say ½ at x = 0.
  const kink = new Sequential([
    new layers.Dense({
      units: 1,
      activation: "relu",
      inputShape: [1],
      kernelInitializer: initializers.constant(1),
      biasInitializer: initializers.zeros(),
    }),
  ]);
  await kink.save(join(dir, "kink.keras"));

  writeFileSync(
    join(dir, "double.mjs"),
    "export const inputNames = ['price', 'x'];\n" +
      "export default (model, { price, x }) => model.call({ price: price.reshape([-1, 1]), x }).mul(2);\n",
  );
  writeFileSync(join(dir, "noexport.mjs"), "export const inputNames = ['price'];\n");
  writeFileSync(join(dir, "throws.mjs"), "export default (model, inputs) => inputs.nope.add(1);\n");
  writeFileSync(
    join(dir, "nonames.mjs"),
    "export function wrap(model, { p, x }) { return model.call({ price: p.reshape([-1, 1]), x }); }\n",
  );
  writeFileSync(
    join(dir, "badshape.mjs"),
    "export const inputNames = ['price', 'x'];\nexport default (model, inputs) => model.call(inputs);\n",
  );
  writeFileSync(join(dir, "afile"), "not a directory");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("help and dispatch", () => {
  it("lists every command and the exit codes", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    for (const c of ["inspect", "predict", "derivatives", "analyze", "check", "whatif", "report", "demo"])
      expect(out).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(out).toContain("Exit codes:");
    expect((await run([])).code).toBe(EXIT.usage);
  });

  it("has --help with usage, options and examples on every command", async () => {
    for (const cmd of COMMANDS) {
      const { code, out } = await run([cmd.name, "--help"]);
      expect(code).toBe(0);
      expect(out).toContain(`Usage: gradlens ${cmd.name}`);
      expect(out).toContain("Examples:\n  gradlens ");
      expect(out).toContain("  -h, --help");
      expect((await run(["help", cmd.name])).out).toBe(out);
    }
  });

  it("prints the version", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, out: `${GRADLENS_VERSION}\n`, err: "" });
  });

  it("refuses unknown commands and options with exit 2 and a hint", async () => {
    const a = await run(["analyse"]);
    expect(a.code).toBe(2);
    expect(a.err).toContain("unknown command 'analyse' (did you mean 'analyze'?)");
    const b = await run(["analyze", "lin.keras", "--data", "lin.csv", "--bogus"]);
    expect(b.code).toBe(2);
    expect(b.err).toContain("Unknown option '--bogus'");
    expect(b.err).toContain("run 'gradlens analyze --help'");
    const c = await run(["analyze", "--data", "lin.csv"]);
    expect(c.code).toBe(2);
    expect(c.err).toContain("missing argument");
  });
});

describe("inspect", () => {
  it("describes inputs and outputs of a model file", async () => {
    const { code, out } = await run(["inspect", "lin.keras"]);
    expect(code).toBe(0);
    expect(out).toMatch(/price\s+\(None, 1\)/);
    expect(out).toMatch(/x\s+\(None, 3\)/);
    expect(out).toContain("lin.keras");
  });

  it("describes a wrapper", async () => {
    const { out } = await run(["inspect", "lin.keras", "--wrap", "double.mjs"]);
    expect(out).toContain("Wrapper double.mjs");
    expect(out).toContain("inputs:  price, x");
  });
});

describe("predict", () => {
  it("maps columns by name, gives the one remaining input the numeric columns left, skips text columns", async () => {
    const { code, out, err } = await run(["predict", "lin.keras", "--data", "lin.csv"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("y");
    lines.slice(1).forEach((l, i) => expect(Number(l)).toBeCloseTo(lin(rows[i]), 12));
    expect(err).toContain("price ← column 'price' [N, 1]");
    expect(err).toContain("x ← columns a, b, c [N, 3]");
    expect(err).toContain("non-numeric columns left out: id");
  });

  it("writes JSON and NPY by extension", async () => {
    expect(
      (await run(["predict", "lin.keras", "-d", "lin.csv", "-i", "x=a..c", "--out", "out/p.json", "-q"]))
        .code,
    ).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, "out/p.json"), "utf8"));
    expect(j.y[3]).toBeCloseTo(lin(rows[3]), 12);
    await run(["predict", "lin.keras", "-d", "lin.csv", "--out", "p.npy", "-q"]);
    const a = parseNpy(readFileSync(join(dir, "p.npy")));
    expect(a.shape).toEqual([N, 1]);
    expect(a.data[5]).toBeCloseTo(lin(rows[5]), 12);
  });

  it("reads JSON rows, JSON named arrays and .npy inputs", async () => {
    const want = (await run(["predict", "lin.keras", "-d", "lin.csv", "-q"])).out;
    expect((await run(["predict", "lin.keras", "-d", "lin.json", "-q"])).out).toBe(want);
    expect((await run(["predict", "lin.keras", "-d", "named.json", "-q"])).out).toBe(want);
    expect((await run(["predict", "lin.keras", "-d", "prices.csv", "-i", "x=x.npy", "-q"])).out).toBe(want);
    expect((await run(["predict", "lin.keras", "-d", "lin.csv", "-i", "x=a,b..c", "-q"])).out).toBe(want);
  });
});

describe("derivatives", () => {
  it("writes values and d y/d x columns named after the CSV columns (closed form: 1, 2, 3, 4)", async () => {
    const { code } = await run(["derivatives", "lin.keras", "-d", "lin.csv", "--out", "d.csv", "-q"]);
    expect(code).toBe(0);
    const src = parseCsv(readFileSync(join(dir, "d.csv"), "utf8"), "d.csv");
    expect(src.columns.map((c) => c.name)).toEqual(["y", "d y/d price", "d y/d a", "d y/d b", "d y/d c"]);
    [1, 2, 3, 4].forEach((w, j) => expect([...new Set(src.columns[j + 1].values)]).toEqual([w]));
  });

  it("adds Hessian columns with --second-order, and the schema's per-sample JSON for .json", async () => {
    await run(["derivatives", "lin.keras", "-d", "lin.csv", "--second-order", "--out", "h.csv", "-q"]);
    const src = parseCsv(readFileSync(join(dir, "h.csv"), "utf8"), "h.csv");
    expect(src.columns).toHaveLength(1 + 4 + 10);
    expect(src.columns[5].name).toBe("d2 y/d price d price");
    expect(src.columns.slice(5).every((c) => c.values!.every((v) => v === 0))).toBe(true);
    await run(["derivatives", "lin.keras", "-d", "lin.csv", "--out", "d.json", "-q"]);
    const d = JSON.parse(readFileSync(join(dir, "d.json"), "utf8"));
    expect(d.inputs.features.map((f: { name: string }) => f.name)).toEqual(["price", "a", "b", "c"]);
    expect(d.perSample.gradients[0]).toEqual([[1, 2, 3, 4]]);
  });
});

describe("analyze", () => {
  let result: SensitivityResult;
  let out: string;
  beforeAll(async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--shock",
      "price:+10%",
      "--shock",
      "b:-1",
      "--json",
      "r.json",
      "--html",
      "r.html",
      "--attribution-samples",
      "0,3",
      "--bootstrap",
      "20",
    ]);
    expect(r.code).toBe(0);
    out = r.out;
    result = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  });

  it("ranks features by the closed-form derivatives and prints the tables", () => {
    expect(result.summary.ranking[0].byMeanAbs.map((f) => [f.feature, f.value])).toEqual([
      ["c", 4],
      ["b", 3],
      ["a", 2],
      ["price", 1],
    ]);
    expect(out).toContain("Sensitivities of 'y' ranked by σ·mean |∂y/∂x|");
    expect(out).toMatch(/^\d +c +[\d.]+ +4 +4 +4 /m);
    expect(out).toContain("Finite-difference check on 10 rows (rtol 1e-6): passed");
    expect(result.attribution!.rows).toEqual([0, 3]);
  });

  it("computes what-ifs: Δy = 0.1·price and Δy = −3, both exact to first order", () => {
    const [p, b] = result.whatif!.scenarios;
    const meanPrice = rows.reduce((s, r) => s + r.price, 0) / N;
    expect(p.outputs[0].meanExactChange).toBeCloseTo(0.1 * meanPrice, 10);
    expect(b.outputs[0].meanExactChange).toBeCloseTo(-3, 12);
    expect(b.shock).toEqual({ x: { index: [1], relative: [0], absolute: [-1] } });
    expect(Math.abs(b.outputs[0].firstOrderError.maxAbs!)).toBeLessThan(1e-12);
    expect(out).toMatch(/^b:-1 +y /m);
  });

  it("writes the HTML report with the model's description and the data mapping", () => {
    const html = readFileSync(join(dir, "r.html"), "utf8");
    expect(html).toContain('<section id="whatif">');
    expect(html).toContain("lin.keras");
    expect(html).toContain("x ← columns a, b, c [N, 3]");
    // --html keeps per-sample rows for its charts.
    expect(result.perSample!.rows).toHaveLength(N);
  });

  it("writes JSON to stdout with --json - and keeps the tables off stdout", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--json",
      "-",
      "-q",
      "--attribution-samples",
      "0",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).schemaVersion).toBe(1);
    expect(r.err).toBe("");
  });

  it("exits 1 when the verification fails and names the feature", async () => {
    const r = await run(["analyze", "kink.keras", "-d", "zeros.csv", "-q", "--attribution-samples", "0"]);
    expect(r.code).toBe(EXIT.analysis);
    expect(r.err).toContain("verification FAILED");
    expect(r.err).toContain("for input_layer");
    expect(r.out).toMatch(/FAIL$/m);
  });

  it("passes options through: finance, IG method/steps/baseline, keep-per-sample, distribution", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--finance",
      "price=price",
      "--ig-method",
      "trapezoid",
      "--ig-steps",
      "16",
      "--baseline",
      "price=mean,x=0",
      "--attribution-methods",
      "ig",
      "--keep-per-sample",
      "5",
      "--dgsm-distribution",
      "normal",
      "--bootstrap",
      "0",
      "--json",
      "f.json",
      "-q",
    ]);
    expect(r.code).toBe(0);
    const f: SensitivityResult = JSON.parse(readFileSync(join(dir, "f.json"), "utf8"));
    expect(f.summary.finance!.delta[0].stats.mean).toBe(1);
    expect(f.summary.finance!.gamma[0].stats.max).toBe(0);
    expect(f.attribution!.integratedGradients!.method).toBe("trapezoid");
    expect(f.attribution!.integratedGradients!.steps).toBe(16);
    expect(f.attribution!.integratedGradients!.baseline.features.slice(1)).toEqual([0, 0, 0]);
    expect(f.attribution!.smoothGrad).toBeNull();
    expect(f.perSample!.rows).toEqual([0, 1, 2, 3, 4]);
    expect(f.dgsm!.distributions.every((d) => d.type === "normal")).toBe(true);
    expect(r.out).toContain("Greeks: delta");
  });
});

describe("check, whatif, report", () => {
  it("check prints the verification table; exit 1 on failure", async () => {
    const ok = await run(["check", "lin.keras", "-d", "lin.csv", "--rows", "3", "--second-order"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("Finite-difference check on 3 rows");
    expect(ok.out).toContain("∂²y rel err");
    const bad = await run(["check", "kink.keras", "-d", "zeros.csv", "-q"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("verification FAILED");
  });

  it("whatif evaluates scenarios and needs at least one --shock", async () => {
    const r = await run([
      "whatif",
      "lin.keras",
      "-d",
      "lin.csv",
      "--shock",
      "price:+10%,c:+1",
      "--json",
      "w.json",
      "-q",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("price:+10%,c:+1");
    const w = JSON.parse(readFileSync(join(dir, "w.json"), "utf8"));
    const meanPrice = rows.reduce((s, x) => s + x.price, 0) / N;
    expect(w.scenarios[0].outputs[0].meanExactChange).toBeCloseTo(0.1 * meanPrice + 4, 10);
    expect((await run(["whatif", "lin.keras", "-d", "lin.csv"])).code).toBe(2);
  });

  it("report renders a saved result, with the model's description", async () => {
    await run(["analyze", "lin.keras", "-d", "lin.csv", "--keep-per-sample", "20", "--json", "k.json", "-q"]);
    const r = await run(["report", "k.json", "--model", "lin.keras", "--print"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("wrote k.html");
    expect(r.out).toContain("ranked by σ·mean |∂y/∂x|");
    const html = readFileSync(join(dir, "k.html"), "utf8");
    expect(html).toContain("Functional model");
    expect(html).toContain('data-spec="scatter"');
  });

  it("report refuses files that are not sensitivity results (exit 3)", async () => {
    writeFileSync(join(dir, "notjson.json"), "{");
    writeFileSync(join(dir, "v2.json"), JSON.stringify({ schemaVersion: 2 }));
    writeFileSync(join(dir, "other.json"), JSON.stringify({ hello: 1 }));
    expect((await run(["report", "notjson.json"])).err).toContain("not valid JSON");
    const v2 = await run(["report", "v2.json"]);
    expect(v2.code).toBe(3);
    expect(v2.err).toContain("schema version 2; this gradlens reads version 1");
    expect((await run(["report", "other.json"])).err).toContain("not a gradlens sensitivity result");
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed result, edited freely
type SensitivityResultJson = any;

describe("report checks the nested structure of a result (exit 3, naming the JSON path)", () => {
  const broken: [string, (j: SensitivityResultJson) => void, RegExp][] = [
    [
      "null IG attributions",
      (j) => (j.attribution.integratedGradients.attributions = null),
      /attribution\.integratedGradients\.attributions: expected an array, got null/,
    ],
    [
      "features cut to 2",
      (j) => (j.inputs.features = j.inputs.features.slice(0, 2)),
      /attribution\.inputXGradient\.attributions\[0\]\[0\]: length 4, but inputs\.features has 2 entries/,
    ],
    [
      "a null ranking entry",
      (j) => (j.summary.ranking[0].byMeanAbs[1] = null),
      /summary\.ranking\[0\]\.byMeanAbs\[1\]: expected an object, got null/,
    ],
  ];
  for (const [what, breakIt, message] of broken)
    it(what, async () => {
      await run([
        "analyze",
        "lin.keras",
        "-d",
        "lin.csv",
        "--keep-per-sample",
        "5",
        "--attribution-samples",
        "0,1",
        "--json",
        "nested.json",
        "-q",
      ]);
      const j = JSON.parse(readFileSync(join(dir, "nested.json"), "utf8"));
      breakIt(j);
      writeFileSync(join(dir, "nested-bad.json"), JSON.stringify(j));
      for (const extra of [["--print"], []]) {
        const r = await run(["report", "nested-bad.json", "--html", "nested.html", ...extra]);
        expect(r.err).toMatch(message);
        expect(r.err).toMatch(/nested-bad\.json/);
        expect(r.err).not.toMatch(/internal error|cannot render|cannot write/);
        expect(r.code).toBe(3);
      }
    });
});

describe("report checks the optional sections' structure too (exit 3, naming the JSON path)", () => {
  const broken: [string, (j: SensitivityResultJson) => void, RegExp][] = [
    [
      "a null effects grid",
      (j) => (j.effects.features[0].grid = null),
      /effects\.features\[0\]\.grid: expected an array, got null/,
    ],
    [
      "an ICE curve of the wrong length",
      (j) => j.effects.features[0].ice[0].pop(),
      /effects\.features\[0\]\.ice\[0\]: length \d+, but effects\.features\[0\]\.grid has \d+ entries/,
    ],
    [
      "a null interaction pair",
      (j) => (j.interactions.pairs[0].features = null),
      /interactions\.pairs\[0\]\.features: expected an array, got null/,
    ],
    ["null Sobol' indices", (j) => (j.sobol.indices = null), /sobol\.indices: expected an array, got null/],
    [
      "a constraint check without worst rows",
      (j) => (j.constraints.checks[0].worstRows = "none"),
      /constraints\.checks\[0\]\.worstRows: expected an array, got string/,
    ],
  ];
  for (const [what, breakIt, message] of broken)
    it(what, async () => {
      const analyzed = await run([
        "analyze",
        "lin.keras",
        "-d",
        "lin.csv",
        "--interactions",
        "--effects=a",
        "--sobol",
        "64",
        "--expect",
        "a:increasing",
        "--json",
        "sections.json",
        "-q",
      ]);
      expect([0, 1]).toContain(analyzed.code);
      const j = JSON.parse(readFileSync(join(dir, "sections.json"), "utf8"));
      breakIt(j);
      writeFileSync(join(dir, "sections-bad.json"), JSON.stringify(j));
      for (const extra of [["--print"], []]) {
        const r = await run(["report", "sections-bad.json", "--html", "sections.html", ...extra]);
        expect(r.err).toMatch(message);
        expect(r.err).not.toMatch(/internal error|cannot render|cannot write/);
        expect(r.code).toBe(3);
      }
    });
});

describe("errors name what is at fault, with stable exit codes", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["missing data file", ["analyze", "lin.keras", "-d", "nope.csv"], 3, /data file not found: nope\.csv/],
    [
      "bad cell",
      ["predict", "lin.keras", "-d", "bad.csv", "-i", "x=a..c"],
      3,
      /bad\.csv line 4, column 'b': 'abc' is not a number/,
    ],
    [
      "ragged row",
      ["predict", "lin.keras", "-d", "ragged.csv", "-i", "x=a..c"],
      3,
      /ragged\.csv line 3: 3 fields, but the header has 4/,
    ],
    [
      "unknown column",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=a..cc"],
      3,
      /no column 'cc' in lin\.csv .*did you mean 'c'/,
    ],
    [
      "backwards range",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=c..a"],
      3,
      /range c\.\.a runs backwards/,
    ],
    [
      "shape",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=a,b"],
      3,
      /input 'x' of the model expects 3 numbers per row \(shape \(None, 3\)\), but gets 2 from columns a, b/,
    ],
    [
      "text column mapped",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=id,a,b"],
      3,
      /column 'id': 'r0' is not a number \(the column holds no numbers/,
    ],
    [
      "unknown input",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "z=a"],
      2,
      /--input names 'z', which is not an input of the target \(inputs: price, x\)/,
    ],
    [
      "bad --input",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x"],
      2,
      /--input 'x': expected NAME=COLUMNS/,
    ],
    [
      "bad integer",
      ["analyze", "lin.keras", "-d", "lin.csv", "--batch-size", "0"],
      2,
      /--batch-size must be an integer ≥ 1, got '0'/,
    ],
    [
      "bad shock",
      ["analyze", "lin.keras", "-d", "lin.csv", "--shock", "bb:+1%"],
      2,
      /'bb' is neither an input nor a feature .*did you mean 'b'/,
    ],
    [
      "bad shock change",
      ["whatif", "lin.keras", "-d", "lin.csv", "--shock", "price:up"],
      2,
      /'up' is not a change/,
    ],
    [
      "bad ig method",
      ["analyze", "lin.keras", "-d", "lin.csv", "--ig-method", "simpson"],
      2,
      /--ig-method must be one of/,
    ],
    ["missing model", ["analyze", "nope.keras", "-d", "lin.csv"], 4, /model file not found: nope\.keras/],
    ["garbage model", ["inspect", "garbage.keras"], 4, /garbage\.keras/],
    [
      "missing wrapper",
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "nope.mjs"],
      5,
      /wrapper module not found: nope\.mjs/,
    ],
    [
      "wrapper without function",
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "noexport.mjs"],
      5,
      /noexport\.mjs exports no wrapper function/,
    ],
    [
      "wrapper that throws",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "throws.mjs", "-i", "price=price"],
      5,
      /the wrapper throws\.mjs threw TypeError/,
    ],
    [
      "wrapper feeding the model a wrong shape",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "badshape.mjs"],
      3,
      /the data does not fit the model lin\.keras through the wrapper badshape\.mjs: 40 rows from lin\.csv with inputs price \[40\], x \[40, 3\].*input 'price' expects shape \(None, 1\)/,
    ],
    [
      "unwritable output",
      ["analyze", "lin.keras", "-d", "lin.csv", "--json", "afile/r.json", "-q"],
      6,
      /cannot write afile\/r\.json/,
    ],
    [
      "wrapper without inputNames, no mapping",
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "nonames.mjs"],
      2,
      /wrapper exports no inputNames; map them with --input/,
    ],
  ];
  it.each(cases)("%s", async (_name, argv, code, message) => {
    const r = await run(argv);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(code);
  });

  it("runs a wrapper without inputNames on the --input mapping", async () => {
    const r = await run([
      "predict",
      "lin.keras",
      "-d",
      "lin.csv",
      "-w",
      "nonames.mjs",
      "-i",
      "p=price",
      "-i",
      "x=a..c",
      "-q",
    ]);
    expect(r.code).toBe(0);
    expect(Number(r.out.split("\n")[1])).toBeCloseTo(lin(rows[0]), 12);
  });

  it("runs a wrapper with inputNames (y doubled: ∂/∂price = 2)", async () => {
    const r = await run([
      "derivatives",
      "lin.keras",
      "-d",
      "lin.csv",
      "-w",
      "double.mjs",
      "--out",
      "w.json",
      "-q",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "w.json"), "utf8")).perSample.gradients[0]).toEqual([
      [2, 4, 6, 8],
    ]);
  });
});

describe("progress bar", () => {
  const argv = ["analyze", "lin.keras", "-d", "lin.csv", "--attribution-samples", "0", "--batch-size", "8"];
  it("draws on a terminal", async () => {
    const { err } = await run(argv, { tty: true });
    expect(err).toContain("\r\x1b[2Kderivatives");
    expect(err).toMatch(/\[#+/);
  });
  it("is silent when stderr is not a terminal, and with --quiet", async () => {
    expect((await run(argv)).err).not.toContain("\r");
    expect((await run([...argv, "--quiet"], { tty: true })).err).toBe("");
  });
  it("formats stage, bar, percentage, counts and time", () => {
    expect(progressLine({ stage: "derivatives", done: 2000, total: 4000 }, 1500, 20)).toBe(
      "derivatives  [##########··········]  50%  2000/4000 rows  1.5 s",
    );
  });
});

describe("data readers", () => {
  it("parses RFC 4180 CSV: quotes, doubled quotes, CRLF, BOM, blank lines", () => {
    const src = parseCsv('\ufeff"a,1",b\r\n1,"2"\r\n\r\n"3",4\n', "q.csv");
    expect(src.columns.map((c) => c.name)).toEqual(["a,1", "b"]);
    expect(Array.from(src.columns[0].values!)).toEqual([1, 3]);
    expect(Array.from(src.columns[1].values!)).toEqual([2, 4]);
    expect(parseCsv('x\n"say ""hi"""\n', "t.csv").columns[0].bad).toEqual({
      where: "line 2",
      text: 'say "hi"',
    });
    expect(() => parseCsv('x\n"open\n', "o.csv")).toThrow(/o\.csv line 2: a quoted field is never closed/);
    expect(() => parseCsv("a,a\n1,2\n", "d.csv")).toThrow(/two columns are named 'a'/);
    expect(() => parseCsv("a\n", "e.csv")).toThrow(/no data rows/);
    expect(() => parseCsv("a;b\n1;2\n", "s.csv")).not.toThrow();
    expect(() => parseCsv("a,b\n1;2\n", "s.csv")).toThrow(/use --delimiter ';'/);
  });

  it("parses numbers strictly", () => {
    expect(parseCell(" 1.5e-3 ")).toEqual({ value: 0.0015, ok: true });
    expect(parseCell("-inf").value).toBe(-Infinity);
    expect(parseCell("NaN").ok).toBe(true);
    for (const bad of ["", " ", "0x10", "1,5", "abc", "1e"]) expect(parseCell(bad).ok).toBe(false);
  });

  it("reads JSON rows and named arrays, refusing ragged arrays", () => {
    expect(parseJsonData('[{"a":1,"b":2},{"a":3}]', "r.json").columns[1].bad).toEqual({
      where: "row 1",
      text: "",
    });
    expect(parseJsonData('{"x":[[1,2],[3,4]],"y":[1,null]}', "n.json").arrays[0].shape).toEqual([2, 2]);
    expect(() => parseJsonData('{"x":[[1,2],[3]]}', "g.json")).toThrow(
      /'x' is not a rectangular array: 'x'\[1\] has 1 entries where 2/,
    );
  });

  it("suggests close names only", () => {
    expect(didYouMean("volatilty", ["volatility", "rate"])).toBe(" (did you mean 'volatility'?)");
    expect(didYouMean("zzz", ["volatility", "rate"])).toBe("");
  });
});

describe("shocks", () => {
  const inputs = [
    { name: "price", size: 1, featureNames: ["price"] },
    { name: "x", size: 3, featureNames: ["a", "b", "c"] },
  ];
  it("parses relative, absolute, indexed and named shocks, combined with commas", () => {
    expect(parseShock("price:+1%", inputs, "t")).toEqual({
      name: "price:+1%",
      shock: { price: { relative: 0.01 } },
    });
    expect(parseShock("x[2]:-0.5", inputs, "t").shock).toEqual({
      x: { index: [2], relative: [0], absolute: [-0.5] },
    });
    expect(parseShock("b:+2%,a:1,price:-3", inputs, "t").shock).toEqual({
      x: { index: [0, 1], relative: [0, 0.02], absolute: [1, 0] },
      price: { absolute: -3 },
    });
    expect(parseShock("x:+1%,x[1]:+1", inputs, "t").shock).toEqual({
      x: { index: [0, 1, 2], relative: [0.01, 0.01, 0.01], absolute: [0, 1, 0] },
    });
  });
  it("refuses what it cannot read, naming the item", () => {
    expect(() => parseShock("x[3]:+1", inputs, "t")).toThrow(/input 'x' has 3 components per row \(0…2\)/);
    expect(() => parseShock("price", inputs, "t")).toThrow(/expected TARGET:CHANGE/);
    expect(() => parseShock("price:+1%,", inputs, "t")).toThrow(/empty item/);
  });
});

describe("outputs directory", () => {
  it("creates missing folders for outputs", async () => {
    mkdirSync(join(dir, "sub"), { recursive: true });
    expect(
      (await run(["predict", "lin.keras", "-d", "lin.csv", "--out", "sub/deeper/p.csv", "-q"])).code,
    ).toBe(0);
    expect(readFileSync(join(dir, "sub/deeper/p.csv"), "utf8").split("\n")[0]).toBe("y");
  });
});
