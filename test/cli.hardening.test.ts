/**
 * The CLI against hostile-but-fair use (issue 9 items 3–5, issue 8's usage exits): outputs that
 * would destroy an input or another output are refused (exit 2) and leave every file as it was;
 * writes are atomic; `-` is standard output; every failure has the exit code the README gives it
 * (usage 2, data 3, model 4, wrapper 5, output 6, analysis 1); wrappers run in a fence
 * (process.exit, console.log, Promises, outputNames, --timeout). Most cases run in-process
 * through `main(argv, io)`; the ones about the process itself (timeouts, a file-size limit, an
 * exit outside the wrapper's call) run the real command.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../src/io/index.js";
import { saveLinearModel } from "./helpers/linearModel.js";
import { activations, initializers } from "../src/nn/index.js";
import { writeNpy } from "../src/io/containers/npy.js";
import { describeThrown, toCliError, usageError } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { ShapeError } from "../src/core/errors.js";
import { ModelFormatError } from "../src/io/errors.js";
import { main } from "../src/cli/main.js";
import { parseShock } from "../src/cli/shocks.js";
import { checkOutputs } from "../src/cli/outputs.js";
import { writeFileAtomic } from "../src/report/write.js";

const root = fileURLToPath(new URL("..", import.meta.url));
let dir: string;
const N = 40;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const bytes = (f: string) => readFileSync(join(dir, f));
const WRAP_HEAD = "export const inputNames = ['price', 'x'];\n";
const GOOD_CALL = "model.call({ price: price.reshape([-1, 1]), x })";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-hard-"));
  const rows = Array.from({ length: N }, (_, i) => [90 + i, Math.sin(i) / 2, Math.cos(i) / 3, (i % 7) / 10]);
  writeFileSync(join(dir, "lin.csv"), ["price,a,b,c", ...rows.map((r) => r.join(","))].join("\n") + "\n");
  writeFileSync(
    join(dir, "wide.csv"),
    ["price,a,b,c,d", ...rows.map((r) => [...r, 1].join(","))].join("\n") + "\n",
  );
  writeFileSync(
    join(dir, "nancol.csv"),
    ["price,a,b,c", ...rows.map((r) => [r[0], r[1], "NaN", r[3]].join(","))].join("\n") + "\n",
  );
  writeFileSync(join(dir, "x.npy"), writeNpy([N, 3], Float64Array.from(rows.flatMap((r) => r.slice(1)))));
  await saveLinearModel(join(dir, "lin.keras"));

  const wrapper = (name: string, body: string, head = WRAP_HEAD) =>
    writeFileSync(join(dir, name), head + body + "\n");
  wrapper("good.mjs", `export default (model, { price, x }) => ${GOOD_CALL};`);
  wrapper("exit.mjs", "export default () => process.exit(0);");
  wrapper("exitimport.mjs", "process.exit(3);\nexport default () => null;");
  wrapper("log.mjs", `export default (model, { price, x }) => { console.log('LOG'); return ${GOOD_CALL}; };`);
  wrapper(
    "write.mjs",
    `export default (model, { price, x }) => { process.stdout.write('RAW\\n'); return ${GOOD_CALL}; };`,
  );
  wrapper("number.mjs", "export default () => 42;");
  wrapper("mixed.mjs", `export default (model, { price, x }) => ({ v: ${GOOD_CALL}, w: [1, 2] });`);
  wrapper("async.mjs", `export default async (model, { price, x }) => ${GOOD_CALL};`);
  wrapper(
    "names.mjs",
    `export const outputNames = ['a', 'b'];\nexport default (model, { price, x }) => ${GOOD_CALL};`,
  );
  wrapper("null.mjs", "export default () => { throw null; };");
  wrapper(
    "getters.mjs",
    "export default () => { throw { get message() { throw 1; }, get name() { throw 2; }, toString() { throw 3; } }; };",
  );
  wrapper("loop.mjs", "export default () => { for (;;) {} };");
  wrapper(
    "later.mjs",
    `setTimeout(() => process.exit(0), 0);\nexport default (model, { price, x }) => { const t = Date.now(); while (Date.now() - t < 300); return ${GOOD_CALL}; };`,
  );
  // An Activation layer named after an Object.prototype member, in a TF.js model.json (no weights).
  writeFileSync(
    join(dir, "ctor.json"),
    JSON.stringify({
      format: "layers-model",
      modelTopology: {
        class_name: "Sequential",
        keras_version: "2.13.1",
        backend: "tensorflow",
        config: {
          name: "s",
          layers: [
            {
              class_name: "InputLayer",
              config: { batch_input_shape: [null, 3], dtype: "float32", name: "x" },
            },
            {
              class_name: "Activation",
              config: { name: "act", activation: "constructor", dtype: "float32" },
            },
          ],
        },
      },
      weightsManifest: [],
    }),
  );
  const tfjs = join(root, "test/fixtures/real/tfjs/load_predict_layers_model");
  mkdirSync(join(dir, "tfjs"));
  for (const f of ["model.json", "weights.bin"]) copyFileSync(join(tfjs, f), join(dir, "tfjs", f));
  mkdirSync(join(dir, "outdir"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("outputs never destroy inputs", () => {
  const refusals: [string, string[], RegExp][] = [
    [
      "--out is the data file",
      ["predict", "lin.keras", "-d", "lin.csv", "--out", "lin.csv"],
      /--out lin\.csv is the data file lin\.csv; refusing to overwrite an input/,
    ],
    [
      "--json is the model",
      ["analyze", "lin.keras", "-d", "lin.csv", "--json", "lin.keras"],
      /--json lin\.keras is the model file lin\.keras/,
    ],
    [
      "--html is the wrapper",
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "good.mjs", "--html", "good.mjs"],
      /--html good\.mjs is the wrapper module good\.mjs/,
    ],
    [
      "--out is an .npy input",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=x.npy", "--out", "x.npy"],
      /--out x\.npy is the data file x\.npy/,
    ],
    [
      "--json is a TF.js weight shard",
      ["analyze", "tfjs/model.json", "-d", "lin.csv", "--json", "tfjs/weights.bin"],
      /--json tfjs\/weights\.bin is the weights file/,
    ],
    [
      "the same file by another spelling",
      ["predict", "lin.keras", "-d", "lin.csv", "--out", "./outdir/../lin.csv"],
      /is the data file lin\.csv/,
    ],
    [
      "--json and --html are one file",
      ["analyze", "lin.keras", "-d", "lin.csv", "--json", "a.json", "--html", "./a.json"],
      /--json a\.json and --html \.\/a\.json are the same file/,
    ],
    [
      "report --html is the result",
      ["report", "lin.csv", "--html", "lin.csv"],
      /--html lin\.csv is the result file lin\.csv/,
    ],
  ];
  it.each(refusals)("%s: exit 2, every file as it was", async (_name, argv, message) => {
    const before = readdirSync(dir).map((f) => [
      f,
      existsSync(join(dir, f)) && statSync(join(dir, f)).isFile() ? bytes(f).toString("base64") : "",
    ]);
    const r = await run(argv);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
    const after = readdirSync(dir).map((f) => [
      f,
      existsSync(join(dir, f)) && statSync(join(dir, f)).isFile() ? bytes(f).toString("base64") : "",
    ]);
    expect(after).toEqual(before);
  });

  it("sees through symbolic links and hard links", async () => {
    symlinkSync(join(dir, "lin.csv"), join(dir, "soft.csv"));
    linkSync(join(dir, "lin.csv"), join(dir, "hard.csv"));
    const data = bytes("lin.csv");
    for (const out of ["soft.csv", "hard.csv"]) {
      const r = await run(["predict", "lin.keras", "-d", "lin.csv", "--out", out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`--out ${out} is the data file lin\\.csv`));
    }
    // …and the other way round: data given through the link, output the real file.
    expect((await run(["predict", "lin.keras", "-d", "hard.csv", "--out", "lin.csv"])).code).toBe(2);
    expect(bytes("lin.csv")).toEqual(data);
  });

  const usage: [string, string[], RegExp][] = [
    [
      "unknown extension",
      ["predict", "lin.keras", "-d", "lin.csv", "--out", "x.out"],
      /--out x\.out: cannot tell the output format/,
    ],
    ["empty name", ["predict", "lin.keras", "-d", "lin.csv", "--out", ""], /--out needs a file name/],
    [
      "a folder name",
      ["predict", "lin.keras", "-d", "lin.csv", "--out", "outdir/"],
      /--out outdir\/ is a folder/,
    ],
    [
      "an existing folder",
      ["analyze", "lin.keras", "-d", "lin.csv", "--json", "outdir"],
      /--json outdir is a folder/,
    ],
    [
      "two outputs on stdout",
      ["analyze", "lin.keras", "-d", "lin.csv", "--json", "-", "--html", "-"],
      /--json and --html both write to standard output/,
    ],
  ];
  it.each(usage)("refuses %s (exit 2)", async (_name, argv, message) => {
    const r = await run(argv);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });

  it("--html - writes the report to stdout (no file named '-'), the tables to stderr", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--html",
      "-",
      "--bootstrap",
      "0",
      "--attribution-samples",
      "0",
    ]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("<!DOCTYPE html>") || r.out.startsWith("<!doctype html>")).toBe(true);
    expect(r.out.trimEnd().endsWith("</html>")).toBe(true);
    expect(r.out).not.toMatch(/^#\s+feature/m);
    expect(r.err).toMatch(/^#\s+feature/m);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });
});

describe("atomic writes", () => {
  it("replaces the file in one rename, keeps its permissions and leaves no temporary file", async () => {
    const p = join(dir, "atomic", "r.json");
    await writeFileAtomic(p, "first\n");
    chmodSync(p, 0o640);
    expect(await writeFileAtomic(p, "second\n")).toBe(7);
    expect(readFileSync(p, "utf8")).toBe("second\n");
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, "atomic"))).toEqual(["r.json"]);
  });

  it("writes through a symbolic link: the target changes, the link stays", async () => {
    const target = join(dir, "atomic", "target.json");
    const link = join(dir, "atomic", "link.json");
    await writeFileAtomic(target, "old");
    symlinkSync(target, link);
    await writeFileAtomic(link, "new");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, "utf8")).toBe("new");
  });

  it("a failed write (file-size limit) exits 6 and leaves the previous report whole", () => {
    const work = mkdtempSync(join(tmpdir(), "gradlens-fsize-"));
    try {
      const r = runReal(
        ["analyze", "lin.keras", "-d", "lin.csv", "--json", "r.json", "-q", "--bootstrap", "0"],
        dir,
      );
      expect(r.status).toBe(0);
      copyFileSync(join(dir, "r.json"), join(work, "r.json"));
      writeFileSync(join(work, "report.html"), "previous report\n");
      // The HTML report (~1 MB with the inlined Vega bundles) cannot fit under a 200 KB limit.
      const p = spawnSync(
        "bash",
        [
          "-c",
          `ulimit -f 200; exec "$@"`,
          "bash",
          ...realCommand(["report", "r.json", "--html", "report.html"]),
        ],
        {
          cwd: work,
          encoding: "utf8",
        },
      );
      expect(p.stderr).toMatch(/cannot write report\.html: EFBIG/);
      expect(p.status).toBe(6);
      expect(readFileSync(join(work, "report.html"), "utf8")).toBe("previous report\n");
      expect(readdirSync(work).sort()).toEqual(["r.json", "report.html"]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("outputs that are not regular files (devices, pipes)", () => {
  /** Starts `cat fifo` (the reader a FIFO needs before a writer can open it); resolves to what it read. */
  const readFifo = (fifo: string) =>
    new Promise<string>((res, rej) => {
      const cat = spawn("cat", [fifo]);
      let got = "";
      cat.stdout.on("data", (d: Buffer) => (got += d.toString("utf8")));
      cat.on("error", rej);
      cat.on("close", () => res(got));
    });

  it("writes into a FIFO: the reader gets the bytes and the FIFO stays a FIFO", async () => {
    const d = mkdtempSync(join(tmpdir(), "gradlens-fifo-"));
    const fifo = join(d, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reading = readFifo(fifo);
    expect(await writeFileAtomic(fifo, "through the pipe\n")).toBe(17);
    expect(await reading).toBe("through the pipe\n");
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(["pipe"]);
    rmSync(d, { recursive: true, force: true });
  });

  it("analyze --json into a FIFO streams valid JSON to the reader", async () => {
    const d = mkdtempSync(join(tmpdir(), "gradlens-fifo-"));
    const fifo = join(d, "r.json");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reading = readFifo(fifo);
    const r = await run(["analyze", "lin.keras", "-d", "lin.csv", "-q", "--bootstrap", "0", "--json", fifo]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(await reading).schemaVersion).toBeDefined();
    expect(statSync(fifo).isFIFO()).toBe(true);
    rmSync(d, { recursive: true, force: true });
  });

  it("--json /dev/null and --html /dev/null discard the output and leave /dev/null a character device", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "-q",
      "--bootstrap",
      "0",
      "--json",
      "/dev/null",
      "--html",
      "/dev/null",
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(readdirSync("/dev").some((f) => f.startsWith(".null."))).toBe(false);
  });

  it("the input/output collision check lets devices through (they destroy nothing)", () => {
    expect(() =>
      checkOutputs(
        dir,
        [
          { option: "--json", file: "/dev/null" },
          { option: "--html", file: "/dev/null" },
          { option: "--out", file: "/dev/stdout" },
        ],
        [{ what: "data file", file: "/dev/null" }],
        "analyze",
      ),
    ).not.toThrow();
  });
});

describe("exit codes mean what the README says", () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      "--wrt names no input",
      ["analyze", "lin.keras", "-d", "lin.csv", "--wrt", "foo"],
      2,
      /--wrt names 'foo', which is not an input \(inputs: price, x\)/,
    ],
    ["--rtol 0", ["check", "lin.keras", "-d", "lin.csv", "--rtol", "0"], 2, /--rtol must be a number > 0/],
    [
      "--confidence 0",
      ["analyze", "lin.keras", "-d", "lin.csv", "--confidence", "0"],
      2,
      /--confidence must be a number > 0 and < 1/,
    ],
    [
      "--confidence 1",
      ["analyze", "lin.keras", "-d", "lin.csv", "--confidence", "1"],
      2,
      /--confidence must be a number > 0 and < 1/,
    ],
    [
      "row list out of range",
      ["analyze", "lin.keras", "-d", "lin.csv", "--verify-samples", "0,99"],
      2,
      /--verify-samples: row 99 is out of range \(the data has 40 rows: 0…39\)/,
    ],
    [
      "check row out of range",
      ["check", "lin.keras", "-d", "lin.csv", "--rows", "3,40"],
      2,
      /--rows: row 40 is out of range/,
    ],
    [
      "--baseline names no input",
      ["analyze", "lin.keras", "-d", "lin.csv", "--baseline", "nope=0"],
      2,
      /--baseline: 'nope' is not an input/,
    ],
    [
      "--finance price=prce (issue 8)",
      ["analyze", "lin.keras", "-d", "lin.csv", "--finance", "price=prce"],
      2,
      /--finance price: 'prce' is not an input .*did you mean 'price'/,
    ],
    [
      "derivatives --finance price=nope",
      ["derivatives", "lin.keras", "-d", "lin.csv", "--finance", "price=nope"],
      2,
      /'nope' is not an input/,
    ],
    [
      "a column twice in --input",
      ["predict", "lin.keras", "-d", "lin.csv", "-i", "x=a,a,b"],
      2,
      /--input x: column 'a' is listed twice/,
    ],
    [
      "a shock of +1e400%",
      ["whatif", "lin.keras", "-d", "lin.csv", "--shock", "price:+1e400%"],
      2,
      /'\+1e400%' is not a finite change/,
    ],
    [
      "one target twice in a scenario",
      ["whatif", "lin.keras", "-d", "lin.csv", "--shock", "price:+1%,price:+2%"],
      2,
      /input 'price' is shocked twice in one scenario/,
    ],
    ["check --rows 0", ["check", "lin.keras", "-d", "lin.csv", "--rows", "0"], 2, /--rows 0 checks nothing/],
    [
      "--timeout 0",
      ["analyze", "lin.keras", "-d", "lin.csv", "--timeout", "0"],
      2,
      /--timeout must be a number > 0/,
    ],
    [
      "an activation named 'constructor'",
      ["predict", "ctor.json", "-d", "lin.csv", "-i", "x=a..c"],
      4,
      /unknown activation 'constructor'/,
    ],
    [
      "--ig-steps past the budget",
      ["analyze", "lin.keras", "-d", "lin.csv", "--ig-steps", "5000"],
      2,
      /--ig-steps \(5000\) must be ≤ --ig-max-steps \(4096, the default\)/,
    ],
    [
      "--finance of an input left out of --wrt",
      ["analyze", "lin.keras", "-d", "lin.csv", "--wrt", "x", "--finance", "price=price"],
      2,
      /input 'price' is not differentiated \(add it to --wrt\)/,
    ],
    [
      "--baseline for some inputs only",
      ["analyze", "lin.keras", "-d", "lin.csv", "--baseline", "price=mean"],
      2,
      /--baseline gives no baseline for input 'x'/,
    ],
    [
      "a column of only NaN",
      ["analyze", "lin.keras", "-d", "nancol.csv", "-i", "x=a..c", "--allow-nonfinite"],
      3,
      /'b' \(input 'x'\) has no finite value in any of the 40 rows of nancol\.csv/,
    ],
    [
      "data that does not fit the model, through a wrapper",
      ["predict", "lin.keras", "-d", "wide.csv", "-w", "good.mjs", "-i", "x=a..d"],
      3,
      /the data does not fit the model lin\.keras through the wrapper good\.mjs: 40 rows from wide\.csv with inputs price \[40\], x \[40, 4\]/,
    ],
    [
      "a wrapper that throws null",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "null.mjs"],
      5,
      /the wrapper null\.mjs threw null/,
    ],
    [
      "a wrapper that throws an unreadable object",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "getters.mjs"],
      5,
      /the wrapper getters\.mjs threw a value that cannot be turned into text/,
    ],
    [
      "a wrapper returning a number",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "number.mjs"],
      5,
      /the wrapper number\.mjs returned number; it must return a tensor/,
    ],
    [
      "a wrapper returning a non-tensor output",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "mixed.mjs"],
      5,
      /returned an array as output 'w'/,
    ],
    [
      "an async wrapper",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "async.mjs"],
      5,
      /the wrapper async\.mjs returned a Promise/,
    ],
    [
      "outputNames of the wrong length",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "names.mjs"],
      5,
      /names\.mjs exports outputNames \[a, b\] \(2\), but the wrapper returned 1 output/,
    ],
    [
      "process.exit in the wrapper's call",
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "exit.mjs", "--json", "never.json"],
      5,
      /the wrapper exit\.mjs called process\.exit\(0\)/,
    ],
    [
      "process.exit when the wrapper is imported",
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "exitimport.mjs"],
      5,
      /the wrapper module exitimport\.mjs called process\.exit\(3\)/,
    ],
  ];
  it.each(cases)("%s", async (_name, argv, code, message) => {
    const r = await run(argv);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(code);
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });

  it("--wrt one input keeps the other's feature names out of the library's way (exit 0)", async () => {
    const r = await run([
      "analyze",
      "lin.keras",
      "-d",
      "lin.csv",
      "--wrt",
      "price",
      "-q",
      "--bootstrap",
      "0",
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });

  it("refuses one feature shocked twice by two names, keeps input + component", () => {
    const inputs = [{ name: "x", size: 3, featureNames: ["a", "b", "c"] }];
    expect(() => parseShock("a:+1,x[0]:+1", inputs, "t")).toThrow(/'a' is shocked twice/);
    expect(parseShock("x:+1%,x[1]:+1", inputs, "t").shock.x).toEqual({
      index: [0, 1, 2],
      relative: [0.01, 0.01, 0.01],
      absolute: [0, 1, 0],
    });
  });

  it("activations.get and initializers.get refuse Object.prototype names", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"])
      expect(() => activations.get(name)).toThrow(/Unknown activation/);
    for (const name of ["constructor", "valueOf"]) {
      expect(() => initializers.get(name)).toThrow(/Unknown initializer/);
      expect(() => initializers.get({ className: name, config: {} })).toThrow(/Unknown initializer class/);
    }
  });
});

describe("toCliError: one classifier", () => {
  it("keeps CLI codes, maps model-format errors to 4, library errors to 1, anything else to 70", () => {
    expect(toCliError(usageError("bad")).code).toBe(2);
    expect(toCliError(new ModelFormatError("m.keras: broken")).code).toBe(4);
    const analysis = toCliError(new ShapeError("shapes"));
    expect([analysis.code, analysis.message]).toEqual([1, "analysis failed: shapes"]);
    expect(toCliError(new ShapeError("shapes"), "model").code).toBe(4);
    expect(toCliError(new TypeError("x is not a function")).code).toBe(70);
    expect(toCliError(null).message).toBe("internal error: null");
    const hostile = {
      get stack() {
        throw new Error("no");
      },
      toString() {
        throw new Error("no");
      },
    };
    expect(toCliError(hostile).code).toBe(70);
  });

  it("describes any thrown value without throwing", () => {
    expect(describeThrown(undefined)).toBe("undefined");
    expect(describeThrown("boom")).toBe('"boom"');
    expect(describeThrown(42)).toBe("number 42");
    expect(describeThrown(new RangeError("too big"))).toBe("RangeError: too big");
    expect(describeThrown(Object.create(null))).toBe("a value that cannot be turned into text");
    expect(describeThrown("x".repeat(1000)).length).toBeLessThan(210);
  });
});

describe("the wrapper fence", () => {
  it("sends process.stdout.write to stderr during the call and restores process.exit and stdout after it", async () => {
    const exit = process.exit;
    const write = process.stdout.write;
    await run(["predict", "lin.keras", "-d", "lin.csv", "-w", "exit.mjs"]);
    const r = await run(["predict", "lin.keras", "-d", "lin.csv", "-w", "write.mjs"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("RAW");
    expect(r.out).not.toContain("RAW");
    expect(r.out.split("\n")[0]).toBe("output");
    expect(process.exit).toBe(exit);
    expect(process.stdout.write).toBe(write);
  });
});

/** The real command from source: node tsx src/cli/main.ts … */
const realCommand = (argv: string[]) => [
  process.execPath,
  join(root, "node_modules/tsx/dist/cli.mjs"),
  join(root, "src/cli/main.ts"),
  ...argv,
];
const runReal = (argv: string[], cwd: string) => {
  const [cmd, ...args] = realCommand(argv);
  return spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
};

describe("the real command: console.log, --timeout and exits outside the fence", () => {
  it("sends the wrapper's console.log to stderr, so --json - stays parseable", () => {
    const r = runReal(
      ["analyze", "lin.keras", "-d", "lin.csv", "-w", "log.mjs", "--json", "-", "-q", "--bootstrap", "0"],
      dir,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).schemaVersion).toBe(1);
    expect(r.stderr).toContain("LOG");
  });

  it("stops an endless loop in the wrapper after --timeout (exit 5), and a slow analysis (exit 1)", () => {
    const loop = runReal(["predict", "lin.keras", "-d", "lin.csv", "-w", "loop.mjs", "--timeout", "1"], dir);
    expect(loop.stderr).toMatch(/stopped after --timeout 1 s while the wrapper loop\.mjs was running/);
    expect(loop.status).toBe(5);
    const slow = runReal(
      ["analyze", "lin.keras", "-d", "lin.csv", "--timeout", "0.001", "--json", "never.json"],
      dir,
    );
    expect(slow.stderr).toMatch(/stopped after --timeout 0\.001 s: the run did not finish in time/);
    expect(slow.status).toBe(1);
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });

  it("reports a process.exit the wrapper schedules outside its call (exit 5, no output)", () => {
    const r = runReal(
      ["predict", "lin.keras", "-d", "lin.csv", "-w", "later.mjs", "--out", "never.csv"],
      dir,
    );
    expect(r.stderr).toMatch(
      /process\.exit\(0\), called by the wrapper later\.mjs outside its function call/,
    );
    expect(r.status).toBe(5);
    expect(existsSync(join(dir, "never.csv"))).toBe(false);
  });
});
