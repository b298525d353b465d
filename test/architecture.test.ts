/**
 * The layer order of docs/ARCHITECTURE.md, checked on every source file: imports only go down,
 * nothing under src/ imports the package barrel, and the import graph has no circles except the
 * nested-model recursion in io/config (a layer config holds a model config and vice versa).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const LAYERS = [
  "core",
  "kernels",
  "prims",
  "interp",
  "api",
  "ops",
  "testing",
  "nn",
  "io",
  "sensitivity",
  "report",
  "cli",
];
/**
 * The one circle allowed: io/config, the data's own recursion (a layer config holds a model
 * config and vice versa).
 */
const ALLOWED_CIRCLES = [["io/config/layer.ts", "io/config/model.ts"]];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\s*\(\s*["'](\.[^"']+)["']\s*\)|import\s+["'](\.[^"']+)["']/g;

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const deps = [...text.matchAll(IMPORT)].map((m) =>
      relative(SRC, resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!)).replace(/\.js$/, ".ts"),
    );
    graph.set(relative(SRC, file), deps);
  }
  return graph;
}

const layerOf = (path: string) => (path.includes("/") ? path.split("/")[0]! : "(root)");

/** Strongly connected components of more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("architecture", () => {
  const graph = importGraph();

  it("sees the source tree", () => {
    expect(graph.size).toBeGreaterThan(100);
    for (const path of graph.keys()) {
      const layer = layerOf(path);
      if (layer !== "(root)")
        expect(LAYERS, `${path} is in a folder docs/ARCHITECTURE.md does not place`).toContain(layer);
    }
  });

  it("imports only go down the layers", () => {
    const upward = [...graph].flatMap(([from, deps]) =>
      deps
        .filter((to) => layerOf(from) !== "(root)" && layerOf(to) !== "(root)")
        .filter((to) => LAYERS.indexOf(layerOf(to)) > LAYERS.indexOf(layerOf(from)))
        .map((to) => `${from} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it("no file under src/ imports the package barrel", () => {
    const barrel = [...graph]
      .filter(([from, deps]) => from !== "index.ts" && deps.includes("index.ts"))
      .map(([f]) => f);
    expect(barrel).toEqual([]);
  });

  it("has no import circles but the nested-model recursion in io/config", () => {
    const allowed = new Set(ALLOWED_CIRCLES.map((c) => c.join(" ")));
    expect(circles(graph).filter((c) => !allowed.has(c.join(" ")))).toEqual([]);
  });

  it("catches an upward import and a circle (the checker itself)", () => {
    const fake = new Map([
      ["core/a.ts", ["core/b.ts"]],
      ["core/b.ts", ["core/a.ts"]],
    ]);
    expect(circles(fake)).toEqual([["core/a.ts", "core/b.ts"]]);
  });
});
