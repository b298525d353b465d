/**
 * ns per element of our array kernels vs a loop over V8's Math.* (same arrays, same loop shape),
 * best of several repeats of CPU time (not wall time, which a loaded machine inflates). A quick
 * microbenchmark, not a test.
 *
 *   npx tsx scripts/bench-transcendental.ts [--n 100000] [--reps 7]
 */
import * as T from "../src/kernels/transcendental/index.js";

const args = process.argv.slice(2);
const n = Number(args[args.indexOf("--n") + 1] || 100000) || 100000;
const reps = Number(args[args.indexOf("--reps") + 1] || 7) || 7;

const x = new Float64Array(n);
for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898) * 4; // activations live in a few units
const xPos = x.map(Math.abs);
const out = new Float64Array(n);

type Loop = () => void;
const math = (f: (v: number) => number, a: Float64Array): Loop => {
  // one monomorphic loop per function, as the kernels have
  return new Function("f", "a", "o", "n", "return () => { for (let i = 0; i < n; i++) o[i] = f(a[i]); };")(
    f,
    a,
    out,
    n,
  ) as Loop;
};
const cases: Array<[string, Loop, Loop]> = [
  ["exp", math(Math.exp, x), () => T.expInto(x, out, 0, n)],
  ["expm1", math(Math.expm1, x), () => T.expm1Into(x, out, 0, n)],
  ["log", math(Math.log, xPos), () => T.logInto(xPos, out, 0, n)],
  ["log1p", math(Math.log1p, xPos), () => T.log1pInto(xPos, out, 0, n)],
  ["tanh", math(Math.tanh, x), () => T.tanhInto(x, out, 0, n)],
  ["sigmoid", math((v) => 1 / (1 + Math.exp(-v)), x), () => T.sigmoidInto(x, out, 0, n)],
];

/** Best-of-reps CPU time (user + system, so other processes on a loaded machine count less) per element. */
function time(f: Loop): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = process.cpuUsage();
    for (let k = 0; k < 5; k++) f();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 5);
  }
  return (best * 1e3) / n;
}

for (const [name, m, ours] of cases) {
  time(m);
  time(ours); // warm both up first
  const tm = time(m);
  const to = time(ours);
  console.log(
    `${name.padEnd(8)} Math ${tm.toFixed(2)} ns/el   ours ${to.toFixed(2)} ns/el   ratio ${(tm / to).toFixed(2)}`,
  );
}
