/**
 * Tree-shaken bundles keep the Tensor methods. An application bundler keeps only the modules an
 * import reaches (package.json's "sideEffects" lists the few that register something), so the
 * methods must come with the functions users create tensors with, not with a barrel's bare
 * import. Each case is bundled by esbuild from src/ as an application would (ESM, browser, minified)
 * and run in Node; every number is compared with the same computation here.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { array, grad, vmap } from "../src/index.js";
import { REPO_ROOT } from "./helpers/browserBundle.js";

/** Bundles `code` (importing from src/ by relative path) and returns what its default export gives. */
async function runBundled(code: string): Promise<unknown> {
  const r = await build({
    stdin: { contents: code, resolveDir: REPO_ROOT, loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
    absWorkingDir: REPO_ROOT,
  });
  const dir = mkdtempSync(path.join(tmpdir(), "gradlens-treeshake-"));
  try {
    const file = path.join(dir, "bundle.mjs");
    writeFileSync(file, r.outputFiles[0].text);
    return ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("tree-shaken bundles", () => {
  it("grad + vmap + array: the Tensor methods work", async () => {
    const out = await runBundled(`
      import { array, grad, vmap } from "./src/index.ts";
      const x = array([[0.1, 0.2], [0.3, -0.4]]);
      export default {
        g: vmap(grad((r) => r.tanh().mul(r).sum()))(x).toArray(),
        m: x.matmul(x).add(1).reshape([4]).toArray(),
      };`);
    const x = array([
      [0.1, 0.2],
      [0.3, -0.4],
    ]);
    expect(out).toEqual({
      g: vmap(grad((r: typeof x) => r.tanh().mul(r).sum()))(x).toArray(),
      m: x.matmul(x).add(1).reshape([4]).toArray(),
    });
  }, 60_000);

  it("a Sequential model from gradlens/nn called on nested numbers", async () => {
    const out = await runBundled(`
      import { Sequential, layers, initializers } from "./src/nn/index.ts";
      const m = new Sequential([
        new layers.Dense({ units: 2, inputShape: [2], activation: "tanh", kernelInitializer: initializers.ones() }),
      ]);
      export default m.call([[0.5, -0.25]]).sum().item();`);
    expect(out).toBeCloseTo(2 * Math.tanh(0.25), 15);
  }, 60_000);
});
