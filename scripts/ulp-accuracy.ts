/**
 * Accuracy of our float64 transcendentals (src/kernels/transcendental) in ulps against the
 * double-double reference (test/helpers/ddReference.ts), over N points per function (default
 * 10^7): a quarter uniform in the bit patterns (every double: subnormals, huge, ±∞, NaN), a
 * quarter uniform over the function's working range, a quarter log-uniform in magnitude down
 * to 2^-1074 (both signs), a quarter within ±2^12 ulps and ±0.1% of the branch points and
 * overflow/underflow thresholds; plus a list of special values. V8's Math.* is measured on the
 * same points for comparison. With --check-mpmath the reference itself is compared with mpmath
 * at 200 bits on a sample (needs python3 with mpmath).
 *
 *   npx tsx scripts/ulp-accuracy.ts [--n 10000000] [--only tanh,exp] [--check-mpmath] [--write docs/transcendentals.md]
 *
 * Not a test (a 10^7-point run takes minutes); test/kernels.transcendental.test.ts runs 10^5.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as T from "../src/kernels/transcendental/index.js";
import { REFERENCES, ulpError, type Ref } from "../test/helpers/ddReference.js";

type Name = keyof typeof REFERENCES;

/** Working range and branch points/thresholds worth probing closely, per function. */
const DOMAINS: Record<Name, { range: [number, number]; points: number[] }> = {
  exp: { range: [-746, 710], points: [709.782712893384, -745.1332191019411, -708.3964185322641, 0.34657359027997264, 1.0397207708399179, 3.725290298461914e-9, 0] },
  expm1: { range: [-40, 710], points: [709.782712893384, 38.816242111356935, 0.34657359027997264, 1.0397207708399179, 5.551115123125783e-17, -0.25, 0] },
  log: { range: [0, 4], points: [1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, 2.2250738585072014e-308, 1.7976931348623157e308] },
  log1p: { range: [-1, 4], points: [-1, 0, 0.41421356237309503, -0.2928932188134524, 1.862645149230957e-9, 9007199254740992] },
  tanh: { range: [-23, 23], points: [22, 1, 0.125, 3.725290298461914e-9, 0] },
  sigmoid: { range: [-746, 40], points: [0, -708.3964185322641, -745.1332191019411, 36.7368005696771, -36.7368005696771] },
  erf: { range: [-7, 7], points: [0.84375, 1.25, 2.857142857142857, 6, 3.725290298461914e-9, 2.2250738585072014e-308] },
};

const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1, -1, 0.5, -0.5];

/** mulberry32: a small seeded generator so runs are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The double j ulps (j may be negative) away from t, stepping through the bit patterns. */
function ulpStep(t: number, j: number): number {
  F[0] = t;
  const big = BigInt.asIntN(64, (BigInt(U[HI]) << 32n) | BigInt(U[1 - HI]));
  // map sign-magnitude bits to a monotone integer line
  const line = big < 0n ? -(big & 0x7fffffffffffffffn) : big;
  const moved = line + BigInt(j);
  const bits = moved < 0n ? -moved | -0x8000000000000000n : moved;
  const u = BigInt.asUintN(64, bits);
  U[HI] = Number(u >> 32n);
  U[1 - HI] = Number(u & 0xffffffffn);
  return F[0];
}

/** The i-th of n points for one function (deterministic given the seed). */
function* points(name: Name, n: number, seed: number): Generator<number> {
  const r = rng(seed);
  const { range, points: pts } = DOMAINS[name];
  for (const s of SPECIALS) yield s;
  const q = Math.floor(n / 4);
  for (let i = 0; i < q; i++) {
    U[HI] = (r() * 4294967296) >>> 0;
    U[1 - HI] = (r() * 4294967296) >>> 0;
    yield F[0];
  }
  for (let i = 0; i < q; i++) yield range[0] + (range[1] - range[0]) * r();
  for (let i = 0; i < q; i++) yield (r() < 0.5 ? -1 : 1) * 2 ** (-1074 * r());
  const rest = n - 3 * q - SPECIALS.length;
  for (let i = 0; i < rest; i++) {
    const t = pts[i % pts.length];
    if (r() < 0.5) yield ulpStep(t, Math.round((r() - 0.5) * 8192));
    else yield t * (1 + (r() - 0.5) * 2e-3) + (r() - 0.5) * 1e-300;
  }
}

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
      if (Number.isFinite(x) && Number.isFinite(rv.hi) && rv.hi !== 0 && rows.length < k && (rows.length % 2 === 0 || x !== 0)) rows.push([x, rv.hi, rv.lo, rv.e]);
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
  return new Map(Object.entries(JSON.parse(res.stdout) as Record<Name, [number, number]>) as Array<[Name, [number, number]]>);
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(arg("--n") ?? 1e7);
  const names = (arg("--only")?.split(",") ?? Object.keys(REFERENCES)) as Name[];
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
    for (const [name, [v, x]] of check) console.log(`reference vs mpmath (200 bits), ${name}: max ${v.toExponential(2)} ulp at x=${x}`);
  const out = arg("--write");
  if (out) {
    const table = [
      "| function | points | max ulp | at x | mean ulp | points > 1 ulp | V8 `Math.*` max ulp (same points) | reference vs mpmath, max ulp (2,000 points) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.n.toLocaleString("en-US")} | ${r.max.toFixed(3)} | ${r.at} | ${r.mean.toFixed(4)} | ${r.over1} | ${r.mathMax === null ? "—" : r.mathMax.toFixed(3)} | ${check?.get(r.name)?.[0].toExponential(1) ?? "—"} |`,
      ),
    ].join("\n");
    const doc = readFileSync(out, "utf8");
    const begin = "<!-- ulp-table:begin -->";
    const end = "<!-- ulp-table:end -->";
    writeFileSync(out, doc.slice(0, doc.indexOf(begin) + begin.length) + "\n" + table + "\n" + doc.slice(doc.indexOf(end)));
  }
}

main();
