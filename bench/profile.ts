/**
 * Where gradlens spends its time on each benchmark workload.
 *
 *   npx tsx bench/profile.ts                     # all workloads, full N
 *   npx tsx bench/profile.ts --quick --workloads W1,W4 --reps 3
 *
 * Three views, all taken after two warm-up calls:
 * 1. Primitive counts: every primitive's `impl` is wrapped for one call, giving how often each
 *    primitive runs, its time inside `impl` (kernel work, including allocating its output) and
 *    the elements it writes. Whatever the call spends outside `impl` is bookkeeping: tracing,
 *    shape rules, tracer objects, pytree handling.
 * 2. A V8 CPU profile (node:inspector, 100 µs sampling) of `reps` calls: self time per function,
 *    grouped by source folder, plus who calls the copy kernels (transpose/broadcast/slice).
 *    Each profile is saved to bench/out/prof/<W>.cpuprofile for Chrome DevTools.
 * 3. GC: main-thread GC pauses (perf_hooks 'gc' entries) per call, eager and under `jit`.
 *
 * The wrapping replaces entries of the engine's rule table in this process only, at run time;
 * no engine file is touched.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { jit } from "../src/index.js";
import { buildGradlens } from "./peers/gradlens.js";
import { makeWorkloadData, WORKLOADS, type WorkloadId, type WorkloadSpec } from "./workloads.js";

interface Opts {
  workloads: WorkloadId[];
  quick: boolean;
  reps: number;
  top: number;
}

function parseArgs(argv: string[]): Opts {
  const o: Opts = { workloads: WORKLOADS.map((w) => w.id), quick: false, reps: 3, top: 15 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") o.quick = true;
    else if (a === "--workloads")
      o.workloads = argv[++i].split(",").map((w) => w.trim().toUpperCase() as WorkloadId);
    else if (a === "--reps") o.reps = Number(argv[++i]);
    else if (a === "--top") o.top = Number(argv[++i]);
    else throw new Error(`unknown argument '${a}' (flags: --quick --workloads W1,… --reps N --top N)`);
  }
  return o;
}

// ---------------------------------------------------------------- primitive counts

interface PrimStat {
  calls: number;
  ms: number;
  elements: number;
  /** Per distinct call signature (operand shapes, params → output shape): calls and ms. */
  bySignature: Map<string, { calls: number; ms: number }>;
}

interface ArrayLikeND {
  size: number;
  shape: readonly number[];
}
type ImplFn = (args: ArrayLikeND[], params: unknown) => ArrayLikeND;

const signature = (args: ArrayLikeND[], params: unknown, out: ArrayLikeND) =>
  `${args.map((a) => `[${a.shape.join(",")}]`).join(" ")} ${JSON.stringify(params)} → [${out.shape.join(",")}]`;
type RuleLike = { impl: ImplFn };

/** Wraps every primitive's impl for the duration of `f`; returns per-primitive stats. */
async function countPrimitives(f: () => void): Promise<{ stats: Map<string, PrimStat>; totalMs: number }> {
  const { RULES } = (await import("../src/prims/table.js")) as unknown as { RULES: Record<string, RuleLike> };
  const stats = new Map<string, PrimStat>();
  const saved = { ...RULES };
  for (const [name, rule] of Object.entries(saved)) {
    const st: PrimStat = { calls: 0, ms: 0, elements: 0, bySignature: new Map() };
    stats.set(name, st);
    const impl = rule.impl;
    RULES[name] = {
      ...rule,
      impl: (args, params) => {
        const t = performance.now();
        const out = impl(args, params);
        const ms = performance.now() - t;
        st.ms += ms;
        st.calls++;
        st.elements += out.size;
        const sig = signature(args, params, out);
        const e = st.bySignature.get(sig) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += ms;
        st.bySignature.set(sig, e);
        return out;
      },
    };
  }
  try {
    const t = performance.now();
    f();
    return { stats, totalMs: performance.now() - t };
  } finally {
    Object.assign(RULES, saved);
  }
}

// ---------------------------------------------------------------- CPU profile

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Profiles `f`, and maps each gradlens frame back to its TypeScript line: tsx hands V8
 * whitespace-minified code, so the raw positions are all on line 1. The scripts carry inline
 * source maps, read here through the debugger domain.
 */
async function cpuProfile(f: () => void): Promise<{ profile: CpuProfile; locate: Locator }> {
  const session = new Session();
  session.connect();
  await session.post("Debugger.enable");
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  f();
  const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
  const maps = new Map<string, SourceMap | null>();
  for (const n of profile.nodes) {
    const { scriptId, url } = n.callFrame;
    if (maps.has(scriptId) || !/\/(src|bench)\//.test(url)) continue;
    const { scriptSource } = (await session.post("Debugger.getScriptSource", { scriptId })) as {
      scriptSource: string;
    };
    maps.set(scriptId, parseInlineSourceMap(scriptSource, url));
  }
  session.disconnect();
  const locate: Locator = (cf) => {
    const m = maps.get(cf.scriptId);
    return m ? m.lookup(cf.lineNumber, cf.columnNumber) : null;
  };
  return { profile, locate };
}

// ---------------------------------------------------------------- source maps (VLQ)

type Locator = (cf: CallFrame) => { line: number; text: string } | null;

interface SourceMap {
  lookup(line: number, column: number): { line: number; text: string } | null;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes one mappings segment: base64 VLQ numbers, sign in the lowest bit. */
function vlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

function parseInlineSourceMap(source: string, url: string): SourceMap | null {
  const m =
    /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(
      source,
    );
  if (!m) return null;
  const map = JSON.parse(Buffer.from(m[1], "base64").toString("utf8")) as {
    mappings: string;
    sourcesContent?: (string | null)[];
  };
  // Per generated line: [generated column, original line] pairs, in column order.
  let origLine = 0;
  const lines = map.mappings.split(";").map((l) => {
    let genCol = 0;
    const segs: [number, number][] = [];
    for (const seg of l ? l.split(",") : []) {
      const v = vlq(seg);
      genCol += v[0];
      if (v.length >= 4) {
        origLine += v[2];
        segs.push([genCol, origLine]);
      }
    }
    return segs;
  });
  const original =
    map.sourcesContent?.[0] ?? (url.startsWith("file:") ? readFileSync(fileURLToPath(url), "utf8") : "");
  const text = original.split("\n");
  return {
    lookup(line, column) {
      const segs = lines[line];
      if (!segs?.length) return null;
      let best = segs[0];
      for (const s of segs) if (s[0] <= column) best = s;
      return { line: best[1] + 1, text: (text[best[1]] ?? "").trim().slice(0, 50) };
    },
  };
}

/** The source folder a frame belongs to, which is how time is split between kernels and bookkeeping. */
function category(cf: CallFrame): string {
  if (cf.functionName === "(garbage collector)") return "GC";
  if (cf.functionName === "(program)" || cf.functionName === "(idle)" || cf.functionName === "(root)")
    return "V8/runtime";
  const m = /\/src\/(kernels|prims|interp|api|ops|core)\//.exec(cf.url);
  if (m) return `src/${m[1]}`;
  if (cf.url.includes("/bench/")) return "bench harness";
  if (cf.url === "" && cf.functionName) return "V8 builtins";
  return "other (node, tsx)";
}

const shortUrl = (url: string) => url.replace(/^.*\/(src|bench)\//, "$1/");
/** "name file:line", with the line's source text for anonymous functions (rule-table arrows). */
function keyOf(cf: CallFrame, locate: Locator): string {
  const loc = locate(cf);
  const where = loc ? `${shortUrl(cf.url)}:${loc.line}` : shortUrl(cf.url) || "(native)";
  if (cf.functionName) return `${cf.functionName} ${where}`;
  return loc?.text ? `(anonymous) ${where} \`${loc.text}\`` : `(anonymous) ${where}`;
}

/** Functions in the copy kernels, whose callers tell which engine path forces a copy. */
const COPY_KERNELS = /\/src\/kernels\/(movement|strided)\.ts$/;

function summarise(p: CpuProfile, locate: Locator, reps: number, top: number): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Samples inside the inspector's own calls (starting and stopping the profiler) are not gradlens.
  const isProfiler = (id: number): boolean => {
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up))
      if (byId.get(up)!.callFrame.url === "node:inspector") return true;
    return false;
  };
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => {
    if (!isProfiler(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const byCat = new Map<string, number>();
  const byFn = new Map<string, { us: number; cat: string }>();
  const copyCallers = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    const cat = category(cf);
    byCat.set(cat, (byCat.get(cat) ?? 0) + us);
    const k = keyOf(cf, locate);
    byFn.set(k, { us: (byFn.get(k)?.us ?? 0) + us, cat });
    if (COPY_KERNELS.test(cf.url)) {
      // Walk up past the copy kernels themselves to the engine function that asked for the copy.
      let up = parent.get(id);
      while (up !== undefined && COPY_KERNELS.test(byId.get(up)!.callFrame.url)) up = parent.get(up);
      const caller = up === undefined ? "(unknown)" : keyOf(byId.get(up)!.callFrame, locate);
      copyCallers.set(caller, (copyCallers.get(caller) ?? 0) + us);
    }
  }
  const ms = (us: number) => (us / 1000 / reps).toFixed(1);
  const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5);
  const lines = [`  CPU profile: ${ms(total)} ms sampled per call (${reps} calls)`, "  self time by folder:"];
  for (const [c, us] of [...byCat].sort((a, b) => b[1] - a[1]))
    lines.push(`    ${pct(us)}%  ${ms(us).padStart(8)} ms  ${c}`);
  lines.push(`  top ${top} functions by self time:`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1].us - a[1].us).slice(0, top))
    lines.push(`    ${pct(v.us)}%  ${ms(v.us).padStart(8)} ms  ${k}  [${v.cat}]`);
  if (copyCallers.size) {
    lines.push("  copy kernels (kernels/movement, kernels/strided) by calling function:");
    for (const [k, us] of [...copyCallers].sort((a, b) => b[1] - a[1]).slice(0, 8))
      lines.push(`    ${pct(us)}%  ${ms(us).padStart(8)} ms  ${k}`);
  }
  return lines;
}

// ---------------------------------------------------------------- main

/** Best-of time of the same transform on a single sample, after warm-up. */
function fixedCost(spec: WorkloadSpec, reps: number): number {
  const { fn, args } = buildGradlens(makeWorkloadData(spec, 1));
  let best = Infinity;
  for (let i = 0; i < reps + 3; i++) {
    const t = performance.now();
    const out = fn(...args);
    for (const r of Array.isArray(out) ? out : [out]) r.data();
    if (i >= 3) best = Math.min(best, performance.now() - t);
  }
  return best;
}

// ---------------------------------------------------------------- garbage collection

const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/**
 * GC pauses on the main thread during `reps` calls of `f`, from `perf_hooks` 'gc' entries
 * (V8's parallel and concurrent GC threads work beside the main thread and are not in them):
 * wall ms per call of the calls, GC ms per call, and GC pauses by kind.
 */
async function gcDuring(f: () => void, reps: number): Promise<string> {
  const entries: { kind: number; duration: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      entries.push({
        kind: (e as unknown as { detail: { kind: number } }).detail.kind,
        duration: e.duration,
      });
  });
  obs.observe({ entryTypes: ["gc"] });
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  const wall = (performance.now() - t0) / reps;
  // 'gc' entries are delivered asynchronously: let them arrive before disconnecting.
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  const total = entries.reduce((a, e) => a + e.duration, 0) / reps;
  const by = new Map<string, { n: number; ms: number }>();
  for (const e of entries) {
    const k = GC_KINDS[e.kind] ?? String(e.kind);
    const b = by.get(k) ?? { n: 0, ms: 0 };
    b.n += 1 / reps;
    b.ms += e.duration / reps;
    by.set(k, b);
  }
  const kinds = [...by].map(([k, b]) => `${k} ${b.n.toFixed(1)}× ${b.ms.toFixed(1)} ms`).join(", ");
  return `${wall.toFixed(1)} ms per call, GC ${total.toFixed(1)} ms per call (${((100 * total) / wall).toFixed(0)}%)${kinds ? `: ${kinds}` : ""}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync("bench/out/prof", { recursive: true });
  for (const spec of WORKLOADS.filter((w) => o.workloads.includes(w.id))) {
    const n = o.quick ? spec.n.quick : spec.n.full;
    const data = makeWorkloadData(spec, n);
    const { fn, args } = buildGradlens(data);
    const call = () => {
      const out = fn(...args);
      for (const t of Array.isArray(out) ? out : [out]) t.data();
    };
    call();
    call();
    const plain: number[] = [];
    for (let i = 0; i < o.reps; i++) {
      const t0 = performance.now();
      call();
      plain.push(performance.now() - t0);
    }
    const plainMs = Math.min(...plain);
    const jitted = jit(fn);
    const jitCall = () => {
      const out = jitted(...args);
      for (const t of Array.isArray(out) ? out : [out]) t.data();
    };
    jitCall();
    jitCall();
    const gcLines = [
      `  GC (main-thread pauses, perf_hooks 'gc' entries, mean of ${o.reps} calls):`,
      `    eager: ${await gcDuring(call, o.reps)}`,
      `    jit:   ${await gcDuring(jitCall, o.reps)}`,
    ];

    const { stats, totalMs } = await countPrimitives(() => {
      for (let i = 0; i < o.reps; i++) call();
    });
    // Report per call: the counters ran over `reps` calls.
    for (const st of stats.values()) {
      st.calls /= o.reps;
      st.ms /= o.reps;
      st.elements /= o.reps;
      for (const e of st.bySignature.values()) {
        e.calls /= o.reps;
        e.ms /= o.reps;
      }
    }
    const perCallMs = totalMs / o.reps;
    const fixedMs = fixedCost(spec, o.reps);
    const used = [...stats].filter(([, s]) => s.calls > 0).sort((a, b) => b[1].ms - a[1].ms);
    const inImpl = used.reduce((a, [, s]) => a + s.ms, 0);
    const calls = used.reduce((a, [, s]) => a + s.calls, 0);
    const lines = [
      `${spec.id} (N = ${n}, MLP [${spec.sizes.join(", ")}]): ${plainMs.toFixed(0)} ms per call unprofiled (best of ${o.reps}); ` +
        `${fixedMs.toFixed(2)} ms at N = 1 (the per-call floor: tracing and per-op overhead)`,
      `  primitives (mean of ${o.reps} calls): ${calls} impl calls; ${inImpl.toFixed(1)} ms inside impl, ` +
        `${(perCallMs - inImpl).toFixed(1)} ms outside (tracing, rules, bookkeeping) of ${perCallMs.toFixed(1)} ms per call`,
      "    primitive          calls      ms   M elements out",
      ...used.map(
        ([name, s]) =>
          `    ${name.padEnd(16)} ${String(s.calls).padStart(6)} ${s.ms.toFixed(1).padStart(8)} ${(s.elements / 1e6).toFixed(2).padStart(10)}`,
      ),
      ...gcLines,
    ];
    for (const name of ["dot_general", "transpose", "broadcast"]) {
      const st = stats.get(name);
      if (!st?.calls) continue;
      lines.push(`  ${name} calls by signature (operands params → output), slowest first:`);
      for (const [sig, e] of [...st.bySignature].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10))
        lines.push(`    ${String(e.calls).padStart(3)}× ${e.ms.toFixed(1).padStart(8)} ms  ${sig}`);
    }

    const { profile, locate } = await cpuProfile(() => {
      for (let i = 0; i < o.reps; i++) call();
    });
    writeFileSync(`bench/out/prof/${spec.id}.cpuprofile`, JSON.stringify(profile));
    lines.push(...summarise(profile, locate, o.reps, o.top), "");
    console.log(lines.join("\n"));
  }
  console.log("Profiles saved in bench/out/prof/ (open in Chrome DevTools → Performance).");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
