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
// Direct Math.* calls (TurboFan lowers them to straight calls into V8's C++ functions), the way
// the element-wise kernels made them before.
const cases: Array<[string, Loop, Loop]> = [
  [
    "exp",
    () => {
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
    },
    () => T.expInto(x, out, 0, n),
  ],
  [
    "expm1",
    () => {
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]);
    },
    () => T.expm1Into(x, out, 0, n),
  ],
  [
    "log",
    () => {
      for (let i = 0; i < n; i++) out[i] = Math.log(xPos[i]);
    },
    () => T.logInto(xPos, out, 0, n),
  ],
  [
    "log1p",
    () => {
      for (let i = 0; i < n; i++) out[i] = Math.log1p(xPos[i]);
    },
    () => T.log1pInto(xPos, out, 0, n),
  ],
  [
    "tanh",
    () => {
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
    },
    () => T.tanhInto(x, out, 0, n),
  ],
  [
    "sigmoid",
    () => {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
    },
    () => T.sigmoidInto(x, out, 0, n),
  ],
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
  let tm = Infinity;
  let to = Infinity;
  for (let r = 0; r < 5; r++) {
    tm = Math.min(tm, time(m)); // interleaved, so a burst of load hits both
    to = Math.min(to, time(ours));
  }
  console.log(
    `${name.padEnd(8)} Math ${tm.toFixed(2)} ns/el   ours ${to.toFixed(2)} ns/el   ratio ${(tm / to).toFixed(2)}`,
  );
}
