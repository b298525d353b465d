/**
 * Roofline for the float64 GEMM: this CPU's f64x2 add+mul throughput in WebAssembly SIMD, and
 * the GEMM's GFLOP/s on the W2 and W4 products as a share of it.
 *
 *   npx tsx bench/roofline.ts [--reps 9]
 *
 * 1. Peak: a micro-kernel with independent accumulator chains and no memory traffic in the loop
 *    (`a_i ← a_i + x` and `m_i ← m_i · y`, each chain a separate register), assembled with the
 *    GEMM's own assembler, in several mixes: add only, mul only, add+mul side by side (the
 *    GEMM's 1:1 mix; this is the roofline). Best of 100·`reps` short runs. (A dependent `c ← c + a·b` chain
 *    without loads cannot be written so that the compiler keeps the product in the loop; the
 *    tile kernel's own figure below is that measurement, with its loads.)
 * 2. GEMM: `gemm()` (src/kernels/matmul.ts, the engine's entry: operands copied in, packed,
 *    multiplied, C copied out) on the workloads' shapes with the output array reused, and the
 *    tile kernel alone (`gemm_tiles` on operands packed once beforehand), median of `reps`.
 *    Times are medians of CPU time of this process (steadier than wall time under load).
 *    The gap between the two is copying and packing; the gap between the tile kernel and the
 *    peak is the kernel's own instruction mix (loads, splats, loop) and cache misses.
 */
import {
  assembleModule,
  br,
  brIf,
  f64,
  f64x2,
  i32,
  loop,
  block,
  v128,
  type Code,
  type FuncSpec,
} from "../scripts/wasm/asm.js";
import { gemm } from "../src/kernels/matmul.js";
import { release, reserve } from "../src/kernels/wasm/runtime.js";

const reps = Number(process.argv[process.argv.indexOf("--reps") + 1]) || 9;

// ---------------------------------------------------------------- peak

/**
 * add+mul: add chains `a ← a + x` beside mul chains `m ← m · y`; mul→add: pairs `m ← m · y`,
 * `a ← a + m` (the GEMM's multiply-then-add, without x: one register fewer, so 7 + 7 chains fit
 * in V8's 16 vector registers).
 */
type Mix = "add" | "mul" | "add+mul" | "mul→add";

/**
 * `peak_<mix>_<chains>(iters, x, y)`: `iters` iterations of an unrolled body over `chains`
 * independent f64x2 chains (for add+mul: `chains` add chains and `chains` mul chains), then the
 * chains are stored to address 0 so nothing is dead code. x, y are parameters, not constants, so
 * no compiler can fold them (adding 2⁻¹⁰⁰⁰ and multiplying by 1 keep the values finite and
 * normal; floating-point units take no shortcut on them).
 */
function peakKernel(mix: Mix, chains: number, unroll: number): FuncSpec {
  const locals: Record<string, "i32" | "v128"> = { i: "i32", vx: "v128", vy: "v128" };
  const names: string[] = [];
  const paired = mix === "add+mul" || mix === "mul→add";
  const nChains = paired ? 2 * chains : chains;
  for (let c = 0; c < nChains; c++) names.push(`c${c}`);
  for (const n of names) locals[n] = "v128";
  return {
    name: `peak_${mix.replace(/\W/g, "_")}_${chains}`,
    params: { iters: "i32", x: "f64", y: "f64" },
    locals,
    body: (l) => {
      const step: Code[] = [];
      names.forEach((n, c) => {
        if (mix === "mul→add") {
          if (c % 2 === 1) return; // written with its pair below
          const m = names[c + 1];
          step.push(l.set(m, f64x2.mul(l.get(m), l.get("vy"))), l.set(n, f64x2.add(l.get(n), l.get(m))));
          return;
        }
        const isMul = mix === "mul" || (paired && c % 2 === 1);
        step.push(l.set(n, isMul ? f64x2.mul(l.get(n), l.get("vy")) : f64x2.add(l.get(n), l.get("vx"))));
      });
      const body: Code[] = [];
      for (let u = 0; u < unroll; u++) body.push(...step);
      return [
        l.set("vx", f64x2.splat(l.get("x"))),
        l.set("vy", f64x2.splat(l.get("y"))),
        ...names.map((n) => l.set(n, f64x2.splat(f64.const(1)))),
        block(
          loop(
            brIf(1, i32.eqz(l.get("iters"))),
            ...body,
            l.set("iters", i32.sub(l.get("iters"), i32.const(1))),
            br(0),
          ),
        ),
        ...names.map((n, c) => v128.store(i32.const(16 * c), l.get(n))),
      ];
    },
  };
}

const UNROLL = 4;
const VARIANTS: [Mix, number][] = [
  ["add", 4],
  ["add", 8],
  ["mul", 4],
  ["mul", 8],
  ["add+mul", 3],
  ["add+mul", 4],
  ["add+mul", 6],
  ["add+mul", 7],
  ["mul→add", 6],
  ["mul→add", 7],
];

/** The best add+mul kernel as a timed run of about `ms` milliseconds: flops and the run. */
interface PeakRun {
  flops: number;
  run: () => void;
}

async function measurePeak(): Promise<{ rows: string[]; roofline: number; peakRun: PeakRun }> {
  const bytes = assembleModule(VARIANTS.map(([m, c]) => peakKernel(m, c, UNROLL)));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = await WebAssembly.instantiate(
    await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>),
    { env: { memory } },
  );
  const ex = instance.exports as Record<string, (iters: number, x: number, y: number) => void>;
  const rows: string[] = [];
  let roofline = 0;
  let peakRun: PeakRun | null = null;
  for (const [mix, chains] of VARIANTS) {
    const fn = ex[`peak_${mix.replace(/\W/g, "_")}_${chains}`];
    const paired = mix === "add+mul" || mix === "mul→add";
    const vectorOps = (paired ? 2 * chains : chains) * UNROLL;
    // Short runs (about 0.1 ms each), best of many: on a loaded machine most runs are
    // interrupted by another process, and a run shorter than a scheduler slice often is not.
    const iters = 20_000;
    // V8 runs a wasm function first in its baseline compiler (Liftoff, locals spilled to the
    // stack) and swaps in the optimized code once a background compile finishes: call it until
    // the optimized code is surely in (about 0.3 s), then time.
    for (const t0 = performance.now(); performance.now() - t0 < 300;) fn(iters, 2 ** -1000, 1);
    let best = Infinity;
    for (let r = 0; r < 100 * reps; r++) {
      const t = performance.now();
      fn(iters, 2 ** -1000, 1);
      best = Math.min(best, performance.now() - t);
    }
    const gflops = (iters * vectorOps * 2) / (best * 1e6);
    if (paired && gflops > roofline) {
      roofline = gflops;
      // Long enough (≈20 ms unloaded) to be timed like a GEMM call, by CPU time.
      const long = Math.round((20e6 * gflops) / (vectorOps * 2));
      peakRun = { flops: long * vectorOps * 2, run: () => fn(long, 2 ** -1000, 1) };
    }
    rows.push(
      `| ${mix} | ${chains}${paired ? " + " + chains : ""} | ${gflops.toFixed(1)} | ${((best * 1e6) / (iters * UNROLL)).toFixed(2)} |`,
    );
  }
  return { rows, roofline, peakRun: peakRun! };
}

// ---------------------------------------------------------------- GEMM

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transB: boolean;
}

/** The W2 and W4 products (forward x·W, backward g·Wᵀ), as the engine calls them. */
const SHAPES: Shape[] = [
  { name: "W2 fwd [2000×16]·[16×128]", m: 2000, n: 128, k: 16, transB: false },
  { name: "W2 fwd [2000×128]·[128×128]", m: 2000, n: 128, k: 128, transB: false },
  { name: "W2 bwd [16000×128]·[128×128]ᵀ", m: 16000, n: 128, k: 128, transB: true },
  { name: "W2 bwd [16000×128]·[128×16]ᵀ", m: 16000, n: 16, k: 128, transB: true },
  { name: "W4 fwd [4096×256]·[256×512]", m: 4096, n: 512, k: 256, transB: false },
  { name: "W4 fwd [4096×512]·[512×512]", m: 4096, n: 512, k: 512, transB: false },
  { name: "W4 bwd [4096×512]·[512×512]ᵀ", m: 4096, n: 512, k: 512, transB: true },
  { name: "W4 bwd [4096×512]·[256×512]ᵀ", m: 4096, n: 256, k: 512, transB: true },
];

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

function fill(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/** Wall and CPU ms (this process) of one call. */
function once(f: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const wall = performance.now() - t;
  const dc = process.cpuUsage(c);
  return { wall, cpu: (dc.user + dc.system) / 1000 };
}

/**
 * The tile kernel alone: A and B packed once, then only `gemm_tiles` is timed, called per chunk
 * of `mc` rows as `gemm()` does (so a chunk of packed A stays in L2 while the B panels sweep it).
 */
function tilesOnly(s: Shape): { wall: number; cpu: number } {
  const MR = 4;
  const NR = 4;
  // As in src/kernels/wasm/gemm.ts: A_CHUNK_ELEMENTS = 2^14, MAX_CHUNK_ROWS = 512.
  const mc = Math.min(
    Math.ceil(s.m / MR) * MR,
    Math.max(MR, Math.min(512, Math.ceil(2 ** 14 / s.k / MR) * MR)),
  );
  const mT = Math.ceil(s.m / MR);
  const nP = Math.ceil(s.n / NR);
  const pa = 0;
  const pb = pa + mT * MR * s.k;
  const raw = pb + nP * NR * s.k;
  const cAt = raw + Math.max(s.m * s.k, s.k * s.n);
  // gemm() shares this linear memory, so the operands are packed again (untimed) before each run.
  const w = reserve(8 * (cAt + mT * MR * nP * NR));
  if (!w) throw new Error("WebAssembly kernels unavailable");
  const { exports: x, f64 } = w;
  f64.set(fill(s.m * s.k, 1), raw);
  x.pack_a(8 * raw, 8 * pa, s.m, s.k, s.k);
  f64.set(fill(s.k * s.n, 2), raw);
  x.pack_b(8 * raw, 8 * pb, s.k, s.n, s.n, 1);
  const t = once(() => {
    for (let ic = 0; ic < s.m; ic += mc) {
      const tiles = Math.ceil(Math.min(mc, s.m - ic) / MR);
      x.gemm_tiles(8 * (pa + ic * s.k), 8 * pb, 8 * (cAt + ic * nP * NR), tiles, nP, s.k, nP * NR, 0);
    }
  });
  release();
  return t;
}

async function main() {
  const { rows, roofline, peakRun } = await measurePeak();
  console.log(
    `Peak f64x2 throughput (WebAssembly SIMD, no memory traffic, best of ${100 * reps} runs of 20k iterations, unroll ${UNROLL}):\n`,
  );
  console.log("| mix | independent chains | GFLOP/s | ns per unrolled step |\n|---|---:|---:|---:|");
  for (const r of rows) console.log(r);
  console.log(`\nRoofline (best add+mul side by side, best run): ${roofline.toFixed(1)} GFLOP/s\n`);
  console.log(
    `GEMM: ${reps} rounds, each one run of the peak kernel (≈20 ms), of gemm() and of the tile kernel alone, ` +
      `so load falls on all three alike; medians; GFLOP/s from CPU time of this process (2·m·n·k flops, output reused):\n`,
  );
  console.log(
    "| product | gemm() wall ms | CPU ms | GFLOP/s | tile kernel CPU ms | GFLOP/s | peak, same rounds | gemm() % of peak | tiles % of peak | best: gemm() / tiles / peak GFLOP/s | best: gemm() / tiles % |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
  for (const s of SHAPES) {
    const a = fill(s.m * s.k, 3);
    const b = fill(s.k * s.n, 4);
    const c = new Float64Array(s.m * s.n);
    const flops = 2 * s.m * s.n * s.k;
    const call = () => gemm(1, s.m, s.n, s.k, a, b, c, s.transB);
    call();
    tilesOnly(s);
    const g: { wall: number; cpu: number }[] = [];
    const t: number[] = [];
    const p: number[] = [];
    for (let r = 0; r < reps; r++) {
      p.push(once(peakRun.run).cpu);
      g.push(once(call));
      t.push(tilesOnly(s).cpu);
    }
    const gc = g.map((x) => x.cpu);
    const rate = (f: number, ms: number) => f / (ms * 1e6);
    const [gf, tgf, peak] = [rate(flops, median(gc)), rate(flops, median(t)), rate(peakRun.flops, median(p))];
    const [gb, tb, pb] = [
      rate(flops, Math.min(...gc)),
      rate(flops, Math.min(...t)),
      rate(peakRun.flops, Math.min(...p)),
    ];
    const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(0)}%`;
    console.log(
      `| ${s.name} | ${median(g.map((x) => x.wall)).toFixed(1)} | ${median(gc).toFixed(1)} | ${gf.toFixed(1)} | ` +
        `${median(t).toFixed(1)} | ${tgf.toFixed(1)} | ${peak.toFixed(1)} | ${pct(gf, peak)} | ${pct(tgf, peak)} | ` +
        `${gb.toFixed(1)} / ${tb.toFixed(1)} / ${pb.toFixed(1)} | ${pct(gb, pb)} / ${pct(tb, pb)} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
