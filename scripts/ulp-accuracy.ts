/**
 * Accuracy of our float64 transcendentals (src/kernels/transcendental) in ulps against the
 * double-double reference (test/helpers/ddReference.ts), over N points per function (default
 * 10^7; the mix of test/helpers/ulpPoints.ts: bit patterns, working range, tiny magnitudes,
 * branch points and thresholds, special values). V8's Math.* is measured on the
 * same points for comparison. With --check-mpmath the reference itself is compared with mpmath
 * at 200 bits on a sample (needs python3 with mpmath).
 *
 *   npx tsx scripts/ulp-accuracy.ts [--n 10000000] [--only tanh,exp] [--check-mpmath] [--write docs/transcendentals.md]
 *   npx tsx scripts/ulp-accuracy.ts --simd [--n 10000000]   # the f64x2 kernels against the scalar ones, bit for bit
 *
 * With --simd, the WebAssembly SIMD forms (src/kernels/wasm/vmath.ts, run through a one-step
 * fused chain) are compared with the scalar kernels on the same points: any difference in bits
 * (NaN = NaN) is counted. Zero differences means their accuracy is the table's.
 *
 * Not a test (a 10^7-point run takes minutes); test/kernels.transcendental.test.ts runs 10^5.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as T from "../src/kernels/transcendental/index.js";
import { compileChain } from "../src/kernels/wasm/fused.js";
import { REFERENCES, ulpError, type Ref } from "../test/helpers/ddReference.js";
import { points, type KernelName as Name } from "../test/helpers/ulpPoints.js";

interface Row {
  name: Name;
  n: number;
  max: number;
  at: number;
  mean: number;
  over1: number;
  mathMax: number | null;
}

function measure(name: Name, n: number): Row {
  const ours = T[name];
  const ref = REFERENCES[name];
  const math = name === "sigmoid" || name === "erf" ? null : (Math[name] as (x: number) => number);
  let max = 0;
  let at = NaN;
  let sum = 0;
  let count = 0;
  let over1 = 0;
  let mathMax = 0;
  for (const x of points(name, n, 0x9e3779b9 ^ name.length)) {
    const rv: Ref = ref(x);
    const e = ulpError(ours(x), rv);
    if (e > max || e !== e) {
      max = e;
      at = x;
    }
    if (e > 1) over1++;
    if (Number.isFinite(e)) {
      sum += e;
      count++;
    }
    if (math !== null) {
      const m = ulpError(math(x), rv);
      if (m > mathMax) mathMax = m;
    }
  }
  return { name, n: count, max, at, mean: sum / count, over1, mathMax: math === null ? null : mathMax };
}

/** The reference against mpmath on `k` finite points per function: max |ref − mp| in ulps. */
function checkMpmath(names: Name[], k: number): Map<Name, [number, number]> {
  const sample: Record<string, Array<[number, number, number, number]>> = {};
  for (const name of names) {
    const rows: Array<[number, number, number, number]> = [];
    for (const x of points(name, 40 * k, 12345)) {
      const rv = REFERENCES[name](x);
      if (
        Number.isFinite(x) &&
        Number.isFinite(rv.hi) &&
        rv.hi !== 0 &&
        rows.length < k &&
        (rows.length % 2 === 0 || x !== 0)
      )
        rows.push([x, rv.hi, rv.lo, rv.e]);
    }
    sample[name] = rows;
  }
  const file = "/tmp/ulp-accuracy-sample.json";
  writeFileSync(file, JSON.stringify(sample));
  const py = `
import json, sys
from mpmath import mp, mpf, exp, expm1, log, log1p, tanh, erf, ldexp, floor, log as mlog
mp.prec = 200
fs = {"exp": exp, "expm1": expm1, "log": log, "log1p": log1p, "tanh": tanh, "erf": erf, "sigmoid": lambda x: 1/(1+exp(-x))}
d = json.load(open(sys.argv[1]))
out = {}
for name, rows in d.items():
    worst = 0
    wx = 0
    for x, hi, lo, e in rows:
        x, hi, lo = float(x), float(hi), float(lo)  # JSON integers would parse exactly, not as doubles
        t = fs[name](mpf(x))
        r = ldexp(mpf(hi) + mpf(lo), int(e))
        ex = int(floor(mlog(abs(t), 2)))
        ulp = mpf(2) ** (max(ex, -1022) - 52)
        err = abs(r - t) / ulp
        if err > worst:
            worst, wx = err, x
    out[name] = [float(worst), wx]
print(json.dumps(out))
`;
  const res = spawnSync("python3", ["-c", py, file], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`python3/mpmath check failed: ${res.stderr}`);
  return new Map(
    Object.entries(JSON.parse(res.stdout) as Record<Name, [number, number]>) as Array<
      [Name, [number, number]]
    >,
  );
}

const PRIM: Record<Name, string> = {
  exp: "exp",
  expm1: "expm1",
  log: "log",
  log1p: "log1p",
  tanh: "tanh",
  sigmoid: "logistic",
  erf: "erf",
};

/** Points where the f64x2 kernel's bits differ from the scalar kernel's (NaN equal to NaN). */
function simdDifferences(name: Name, n: number): { n: number; differ: number; first: number } {
  const run = compileChain([{ prim: PRIM[name], args: [{ input: 0 }] }], ["dense"]);
  if (run === null) throw new Error("WebAssembly SIMD is not available here");
  const CHUNK = 1 << 16;
  const xs = new Float64Array(CHUNK);
  const got = new Float64Array(CHUNK);
  let count = 0;
  let differ = 0;
  let first = NaN;
  let k = 0;
  const flush = () => {
    run([xs], got, k);
    for (let i = 0; i < k; i++) {
      const want = T[name](xs[i]);
      if (!(Object.is(got[i], want) || (want !== want && got[i] !== got[i]))) {
        if (differ++ === 0) first = xs[i];
      }
    }
    count += k;
    k = 0;
  };
  for (const x of points(name, n, 0x9e3779b9 ^ name.length)) {
    xs[k++] = x;
    if (k === CHUNK) flush();
  }
  flush();
  return { n: count, differ, first };
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(arg("--n") ?? 1e7);
  const names = (arg("--only")?.split(",") ?? Object.keys(REFERENCES)) as Name[];
  if (args.includes("--simd")) {
    for (const name of names) {
      const t0 = Date.now();
      const r = simdDifferences(name, n);
      console.log(
        `${name.padEnd(8)} points ${r.n}  SIMD bits differ from scalar at ${r.differ}${r.differ ? ` (first x=${r.first})` : ""}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
    return;
  }
  const rows: Row[] = [];
  for (const name of names) {
    const t0 = Date.now();
    const row = measure(name, n);
    rows.push(row);
    console.log(
      `${name.padEnd(8)} points ${row.n}  max ${row.max.toFixed(3)} ulp at x=${row.at}  mean ${row.mean.toFixed(4)}  >1ulp ${row.over1}` +
        `  Math.${name} max ${row.mathMax === null ? "-" : row.mathMax.toFixed(3)}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  const check = args.includes("--check-mpmath") ? checkMpmath(names, 2000) : null;
  if (check)
    for (const [name, [v, x]] of check)
      console.log(`reference vs mpmath (200 bits), ${name}: max ${v.toExponential(2)} ulp at x=${x}`);
  const out = arg("--write");
  if (out) {
    // Rows of the functions measured now replace theirs; the other rows stay.
    const header = [
      "| function | points | max ulp | at x | mean ulp | points > 1 ulp | V8 `Math.*` max ulp (same points) | reference vs mpmath, max ulp (2,000 points) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
    ];
    const doc = readFileSync(out, "utf8");
    const begin = "<!-- ulp-table:begin -->";
    const end = "<!-- ulp-table:end -->";
    const old = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf(end));
    const kept = new Map<string, string>();
    for (const line of old.split("\n")) {
      const name = /^\| (\w+) \|/.exec(line)?.[1];
      if (name !== undefined && name !== "function" && (REFERENCES as Record<string, unknown>)[name])
        kept.set(name, line);
    }
    for (const r of rows)
      kept.set(
        r.name,
        `| ${r.name} | ${r.n.toLocaleString("en-US")} | ${r.max.toFixed(3)} | ${r.at} | ${r.mean.toFixed(4)} | ${r.over1} | ${r.mathMax === null ? "—" : r.mathMax.toFixed(3)} | ${check?.get(r.name)?.[0].toExponential(1) ?? "—"} |`,
      );
    const body = Object.keys(REFERENCES).flatMap((name) => (kept.has(name) ? [kept.get(name)!] : []));
    writeFileSync(
      out,
      doc.slice(0, doc.indexOf(begin) + begin.length) +
        "\n" +
        [...header, ...body].join("\n") +
        "\n" +
        doc.slice(doc.indexOf(end)),
    );
  }
}

main();
