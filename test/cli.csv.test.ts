/**
 * The CLI's CSV reader against hostile and awkward files: linear time on long cells (a
 * backtracking number regex took 47 s on one 200 KB cell), clipped messages, set-based header
 * checks (200k columns), only mapped columns parsed, chunked streaming equal to one-shot parsing
 * (fuzzed chunk boundaries through quotes, CRLF and multi-byte UTF-8), the `--delimiter` hint, and
 * the non-finite policy (refused by default with file, line and column; counted with
 * --allow-nonfinite).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, Input, layers, Model, resetNames, Rng } from "../src/index.js";
import "../src/io/index.js";
import { writeNpy } from "../src/io/containers/npy.js";
import { CsvReader, parseCsv, readCsvFile } from "../src/cli/data/csv.js";
import { CsvScanner } from "../src/cli/data/csvScanner.js";
import { mapInputs, wantedColumns } from "../src/cli/data/mapping.js";
import { clipText, parseCell } from "../src/cli/data/source.js";
import { EXIT } from "../src/cli/errors.js";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";

let dir: string;

async function run(argv: string[]) {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const seconds = (f: () => void) => {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
};

/** Every record of `text` scanned in one chunk (reference) or in the given chunk sizes. */
function scan(text: string, chunks?: number[]): [string[], number][] {
  const out: [string[], number][] = [];
  const s = new CsvScanner(
    ",",
    (f, line) => out.push([f.slice(), line]),
    () => true,
    "t.csv",
  );
  if (!chunks) s.push(text);
  else {
    let at = 0;
    for (const c of chunks) {
      s.push(text.slice(at, at + c));
      at += c;
    }
    s.push(text.slice(at));
  }
  s.end();
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlens-csv-"));
  resetNames();
  const a = Input({ shape: [1], name: "a" });
  const b = Input({ shape: [1], name: "b" });
  const dense = new layers.Dense({ units: 1, name: "y" });
  const m = new Model({ inputs: [a, b], outputs: dense.apply(new layers.Concatenate({}).apply([a, b])) });
  dense.setWeights([array([[2], [3]]), array([1])]);
  await m.save(join(dir, "ab.keras"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the record scanner", () => {
  it("reads quotes, doubled quotes, CRLF, CR and blank lines, with the line each record starts on", () => {
    const text = 'a,b\r\n"x,1","say ""hi"""\n\n"multi\nline",2\r3,4\n5,';
    expect(scan(text)).toEqual([
      [["a", "b"], 1],
      [["x,1", 'say "hi"'], 2],
      [["multi\nline", "2"], 4],
      [["3", "4"], 6],
      [["5", ""], 7],
    ]);
  });

  it("gives the same records however the text is cut into chunks (fuzzed)", () => {
    const rng = new Rng(7);
    const long = ["9".repeat(3000), `"${'x""'.repeat(700)}"`, "1e" + "5".repeat(2000) + "x"];
    const pieces = ["1", "22", ",", '"', '""', "\n", "\r\n", "\r", "ü", "x", " ", "é,", '"a,b"', ...long];
    for (let trial = 0; trial < 300; trial++) {
      let text = "";
      const len = 1 + Math.floor(rng.nextFloat() * 60);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(rng.nextFloat() * pieces.length)];
      let want: unknown;
      try {
        want = scan(text);
      } catch (e) {
        want = (e as Error).message;
      }
      const chunks: number[] = [];
      const step = trial % 2 === 0 ? 5 : 700; // tiny chunks, and chunks that cut long cells
      for (let left = text.length; left > 0;) {
        const c = Math.floor(rng.nextFloat() * step);
        chunks.push(c);
        left -= c;
      }
      let got: unknown;
      try {
        got = scan(text, chunks);
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got, JSON.stringify(text)).toEqual(want);
    }
  }, 30_000);

  it("refuses a quote that never closes, naming the line it opened on", () => {
    expect(() => scan('a\n1\n"open\n2\n')).toThrow(/t\.csv line 3: a quoted field is never closed/);
  });
});

describe("linear time on hostile cells, clipped messages", () => {
  it("reads 4 MB of random long hostile cells (digits then a letter, quotes, exponents) quickly", () => {
    const rng = new Rng(3);
    const cell = () => {
      const kind = Math.floor(rng.nextFloat() * 4);
      const len = 1000 + 2 * Math.floor(rng.nextFloat() * 30_000);
      if (kind === 0) return "7".repeat(len) + "q";
      if (kind === 1) return `"${"1,".repeat(len / 2)}"`;
      if (kind === 2) return "1." + "0".repeat(len) + "e+" + "9".repeat(50) + "!";
      return `"${'""'.repeat(len / 2)}"`;
    };
    const lines = ["a,b"];
    let size = 0;
    while (size < 4 << 20) {
      const line = `${cell()},${cell()}`;
      size += line.length;
      lines.push(line);
    }
    let src: ReturnType<typeof parseCsv> | undefined;
    expect(seconds(() => (src = parseCsv(lines.join("\n"), "hostile.csv")))).toBeLessThan(10);
    expect(src!.rows).toBe(lines.length - 1);
    expect(src!.columns[0].bad!.text.length).toBeLessThan(80);
  }, 30_000);

  it("parses numbers by one scan: long digit runs followed by a letter are refused quickly", () => {
    // The old /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ backtracked quadratically: 8.4 s at 80k digits.
    const long = "9".repeat(200_000);
    let r: ReturnType<typeof parseCell> = { value: 0, ok: true };
    expect(seconds(() => (r = parseCell(long + "x")))).toBeLessThan(0.5);
    expect(r.ok).toBe(false);
    expect(parseCell(long + ".5e-3").ok).toBe(true);
    expect(parseCell("1".repeat(80_000) + "e").ok).toBe(false);
    for (const [t, v] of [
      ["1", 1],
      ["-.5", -0.5],
      ["+2.", 2],
      ["1e3", 1000],
      ["1E+3", 1000],
      [" 7 ", 7],
    ] as const)
      expect(parseCell(t)).toEqual({ value: v, ok: true });
    for (const t of ["", ".", "+", "e3", "1e", "1e+", "1.2.3", "0x10", "1 2", "--1"])
      expect(parseCell(t).ok, t).toBe(false);
    expect(parseCell("1e999")).toEqual({ value: Infinity, ok: true });
  });

  it("a 200 KB cell in a mapped column fails fast with a clipped message", async () => {
    writeFileSync(join(dir, "long.csv"), `a,b\n1,2\n${"7".repeat(200_000)}z,3\n`);
    const t = performance.now();
    const r = await run(["predict", "ab.keras", "-d", "long.csv", "-q"]);
    expect((performance.now() - t) / 1000).toBeLessThan(5); // 47 s before, under load
    expect(r.code).toBe(EXIT.data);
    expect(r.err).toMatch(/long\.csv line 3, column 'a': '7{40}…\(200001 characters\)' is not a number/);
    expect(r.err.length).toBeLessThan(1000);
  });

  it("clipText keeps short text and shortens long text with its length", () => {
    expect(clipText("abc")).toBe("abc");
    expect(clipText("x".repeat(50), 10)).toBe("xxxxxxxxxx…(50 characters)");
  });

  it("checks header names with a set: 200k columns with a duplicate at the end fail fast", () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `c${i}`);
    names.push("c5");
    const text = names.join(",") + "\n" + names.map(() => "1").join(",") + "\n";
    let msg = "";
    const t = seconds(() => {
      try {
        parseCsv(text, "wide.csv");
      } catch (e) {
        msg = (e as Error).message;
      }
    });
    expect(msg).toBe("wide.csv: two columns are named 'c5' (columns 6 and 200001)");
    expect(t).toBeLessThan(10); // 91 s before (quadratic indexOf); about 1 s here, generous for load
  }, 30_000);
});

describe("wide files map in linear time", () => {
  it("maps 100k columns by default and by a range without a scan per name", () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    const src = parseCsv(`${names.join(",")}\n${names.map((_, i) => i).join(",")}\n`, "wide.csv");
    let rest: ReturnType<typeof mapInputs> | undefined;
    let ranged: ReturnType<typeof mapInputs> | undefined;
    const t = seconds(() => {
      rest = mapInputs({ inputNames: ["x"], source: src, specs: [], cwd: dir, command: "predict" });
      ranged = mapInputs({
        inputNames: ["x"],
        source: src,
        specs: [{ name: "x", spec: "c1..c99999" }],
        cwd: dir,
        command: "predict",
      });
    });
    expect(rest!.shapes.x).toEqual([1, 100_000]);
    expect(ranged!.shapes.x).toEqual([1, 99_999]);
    expect(ranged!.data.range(0, 1)[0][99_998]).toBe(99_999);
    expect(t).toBeLessThan(10); // a find() per column was quadratic: 1e10 comparisons (minutes)
  }, 30_000);
});

describe("only mapped columns are parsed", () => {
  it("wantedColumns names the columns the mapping will use, or null when one input takes the rest", () => {
    const header = ["id", "price", "a", "b", "c", "d"];
    expect(wantedColumns(header, ["price", "x"], [{ name: "x", spec: "a..c" }])).toEqual(
      new Set(["price", "a", "b", "c"]),
    );
    expect(wantedColumns(header, ["x"], [{ name: "x", spec: "a, d" }])).toEqual(new Set(["a", "d"]));
    expect(wantedColumns(header, ["price", "x"], [])).toBeNull();
    expect(wantedColumns(header, ["x"], [{ name: "x", spec: "x.npy" }])).toEqual(new Set());
  });

  it("skips unwanted columns: their cells are never parsed, however hostile", () => {
    const r = new CsvReader("s.csv", { wanted: () => new Set(["a"]) });
    r.push(`a,junk\n1,${"9".repeat(100_000)}q\n2,"x""y"\n`);
    const src = r.finish();
    expect(Array.from(src.columns[0].values!)).toEqual([1, 2]);
    expect(src.columns[1]).toMatchObject({ name: "junk", values: null, bad: null });
  });

  it("the CLI maps from a file whose unused column is garbage", async () => {
    writeFileSync(join(dir, "junk.csv"), `junk,a,b\n${"1".repeat(50_000)}x,1,2\n"z",3,4\n`);
    const r = await run(["predict", "ab.keras", "-d", "junk.csv", "-i", "a=a", "-i", "b=b", "-q"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n").slice(-2)).toEqual(["9", "19"]);
  });
});

describe("streamed reading", () => {
  it("a multi-MiB file with multi-byte UTF-8 across chunk boundaries reads as one-shot parsing does", () => {
    const rows = ["naïve,größe,note"];
    for (let i = 0; i < 60_000; i++) rows.push(`${i},${i / 7},"ü€😀, ${i}"`);
    const text = "\ufeff" + rows.join("\r\n") + "\r\n";
    writeFileSync(join(dir, "big.csv"), text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 << 20);
    const streamed = readCsvFile(join(dir, "big.csv"), "big.csv");
    const whole = parseCsv(text, "big.csv");
    expect(streamed.rows).toBe(60_000);
    expect(streamed.columns.map((c) => c.name)).toEqual(["naïve", "größe", "note"]);
    expect(streamed.columns[1].values).toEqual(whole.columns[1].values);
    expect(streamed.columns[1].values![59_999]).toBe(59_999 / 7);
    expect(streamed.columns[2].bad).toEqual({ where: "line 2", text: "ü€😀, 0" });
  });
});

describe("a header that splits on another delimiter suggests --delimiter", () => {
  it.each([
    ["semi.csv", "a;b\n1;2\n3;4\n", /header is one column on ',' but 2 on ';'.*use --delimiter ';'/],
    ["tabs.csv", "a\tb\n1\t2\n", /header is one column on ',' but 2 on tab.*--delimiter/],
  ])("%s", async (file, text, msg) => {
    writeFileSync(join(dir, file), text);
    const r = await run(["predict", "ab.keras", "-d", file, "-q"]);
    expect(r.code).toBe(EXIT.data);
    expect(r.err).toMatch(msg);
    const ok = await run([
      "predict",
      "ab.keras",
      "-d",
      file,
      "--delimiter",
      file === "semi.csv" ? ";" : "\t",
      "-q",
    ]);
    expect(ok.code).toBe(0);
  });
});

describe("decimal commas", () => {
  it("a ';' file with cells like '1,5' is told about decimal commas, not to leave the column out", async () => {
    writeFileSync(join(dir, "semi_dec.csv"), "a;b\n1,5;2,25\n3,0;4,75\n");
    const r = await run(["predict", "ab.keras", "-d", "semi_dec.csv", "--delimiter", ";", "-q"]);
    expect(r.code).toBe(EXIT.data);
    expect(r.err).toMatch(/semi_dec\.csv line 2, column 'a': '1,5' is not a number/);
    expect(r.err).toMatch(/decimal comma/);
    expect(r.err).not.toMatch(/leave it out of the input mapping/);
  });
});

describe("non-finite data is refused by default and counted with --allow-nonfinite", () => {
  beforeAll(() => {
    writeFileSync(join(dir, "nf.csv"), "a,b,unused\n1,2,nan\n3,inf,5\n4,5,6\n-Infinity,NaN,7\n");
    writeFileSync(join(dir, "nf.json"), JSON.stringify({ a: [1, null, 3], b: [1, 2, 3] }));
    writeFileSync(join(dir, "nf.npy"), writeNpy([3, 1], Float64Array.from([1, 2, NaN])));
    writeFileSync(join(dir, "big.csv"), "a,b\n1e999,1\n");
    writeFileSync(
      join(dir, "nfrows.json"),
      JSON.stringify([
        { a: 1, b: 2 },
        { a: 3, b: null },
      ]),
    );
  });

  it.each([
    [["-d", "nf.csv"], /nf\.csv line 5, column 'a': '-Infinity' is not a finite number \(1 such cell/],
    [
      ["-d", "nf.csv", "-i", "a=b", "-i", "b=a"],
      /nf\.csv line 3, column 'b': 'inf' is not a finite number \(2 such cells/,
    ],
    [["-d", "nf.json"], /nf\.json row 1, column 'a': null is not a finite number/],
    [["-d", "nfrows.json"], /nfrows\.json row 1, column 'b': null is not a finite number/],
    [
      ["-d", "nf.json", "-i", "a=nf.npy"],
      /input 'a' ← file nf\.npy \[3, 1\]: row 2 \(flat index 2\) holds NaN/,
    ],
    [["-d", "big.csv"], /big\.csv line 2, column 'a': '1e999' is not a finite number/],
  ])("%j", async (args, msg) => {
    const r = await run(["predict", "ab.keras", ...args, "-q"]);
    expect(r.code).toBe(EXIT.data);
    expect(r.err).toMatch(msg);
    expect(r.err).toContain("--allow-nonfinite keeps it");
  });

  it("the unused column's NaN does not matter; --allow-nonfinite keeps the cells and counts rows", async () => {
    writeFileSync(join(dir, "nfu.csv"), "a,b,unused\n1,2,nan\n3,4,inf\n");
    expect((await run(["predict", "ab.keras", "-d", "nfu.csv", "-i", "a=a", "-i", "b=b", "-q"])).code).toBe(
      0,
    );
    const r = await run([
      "predict",
      "ab.keras",
      "-d",
      "nf.csv",
      "-i",
      "a=a",
      "-i",
      "b=b",
      "--allow-nonfinite",
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      "note: 2 of 4 rows carry non-finite values (NaN or ±Inf), kept by --allow-nonfinite",
    );
    expect(r.out.trim().split("\n").slice(-4)).toEqual(["9", "inf", "24", "nan"]);
  });
});
