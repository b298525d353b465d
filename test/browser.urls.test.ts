/**
 * Relative URLs in a real browser (issue 11): in a page, `loadModel` resolves a string that is
 * not an absolute URL against `document.baseURI` (a `<base href>` included), in a worker against
 * `self.location`, as `fetch` does; a TF.js model.json finds its shards beside it. The page and the
 * worker bundle src/io with esbuild and run in Debian's headless chromium; their predictions are
 * compared with the same models loaded in Node from file paths (which Node keeps treating such
 * strings as). Skipped without chromium locally, a failure in CI.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, loadModel, type Tensor } from "../src/index.js";
import { REPO_ROOT } from "./helpers/browserBundle.js";
import {
  CHROMIUM,
  hasChromium,
  inCI,
  launchChromium,
  serve,
  type StaticServer,
} from "./helpers/browserHarness.js";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/real");
const KERAS_INPUT = [
  [0.1, 0.2],
  [0.7, -0.3],
];
const TFJS_INPUT = [[0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01]];

/** What the page and the worker run: load each source string, predict, report format and numbers. */
const SCRIPT = `
import { loadModel } from "./src/io/index.ts";
import { array } from "./src/ops/index.ts";
async function run(cases) {
  const out = {};
  for (const [name, source, input] of cases) {
    try {
      const m = await loadModel(source);
      out[name] = { format: m.fileInfo.format, y: m.call(array(input)).toArray() };
    } catch (e) {
      out[name] = { error: String(e && e.message || e) };
    }
  }
  return out;
}
globalThis.runUrlCases = run;
if (typeof document === "undefined") self.onmessage = async (e) => self.postMessage(await run(e.data));
`;

// Page at /fixtures/keras3/page.html: "./flownet/…" is beside it, "/fixtures/…" is root-relative.
const PAGE_CASES = [
  ["dotRelative", "./flownet/final_model.keras", KERAS_INPUT],
  ["rootRelative", "/fixtures/tfjs-examples/abalone-node/model.json", TFJS_INPUT],
  ["bare", "flownet/final_model.keras", KERAS_INPUT],
];
// Page with <base href="/fixtures/tfjs-examples/">: relative names follow the base, not the page.
const BASE_CASES = [["baseHref", "abalone-node/model.json", TFJS_INPUT]];
// Worker at /fixtures/tfjs-examples/worker.js: relative to the worker script's location.
const WORKER_CASES = [
  ["workerRelative", "../keras3/flownet/final_model.keras", KERAS_INPUT],
  ["workerShards", "./abalone-node/model.json", TFJS_INPUT],
];

const html = (script: string, head = "") =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}` +
  `<script type="module" src="${script}"></script></head><body></body></html>`;

if (!hasChromium && !inCI) console.warn(`browser.urls.test: skipped — ${CHROMIUM} not found`);

describe("browser URLs", () => {
  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("in headless chromium", () => {
    let dir: string;
    let server: StaticServer;
    let browser: BrowserContext;
    const results: Record<string, { format?: string; y?: unknown; error?: string }> = {};

    beforeAll(async () => {
      const bundled = await build({
        stdin: { contents: SCRIPT, resolveDir: REPO_ROOT, loader: "js" },
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        logLevel: "silent",
        absWorkingDir: REPO_ROOT,
      });
      const code = bundled.outputFiles[0].text;
      server = await serve(
        {
          "/fixtures/keras3/page.html": html("/app.js"),
          "/fixtures/keras3/flownet/sub/base.html": html("/app.js", '<base href="/fixtures/tfjs-examples/">'),
          "/app.js": code,
          "/fixtures/tfjs-examples/worker.js": code,
          "/worker.html": html("/app.js"),
        },
        FIXTURES,
      );
      dir = mkdtempSync(path.join(tmpdir(), "gradlens-urls-"));
      browser = await launchChromium(path.join(dir, "profile"));
      const tab = await browser.newPage();
      const open = async (page: string) => {
        await tab.goto(`${server.origin}${page}`);
        await tab.waitForFunction("typeof globalThis.runUrlCases === 'function'");
      };
      await open("/fixtures/keras3/page.html");
      Object.assign(results, await tab.evaluate(`globalThis.runUrlCases(${JSON.stringify(PAGE_CASES)})`));
      await open("/fixtures/keras3/flownet/sub/base.html");
      Object.assign(results, await tab.evaluate(`globalThis.runUrlCases(${JSON.stringify(BASE_CASES)})`));
      await open("/worker.html");
      Object.assign(
        results,
        await tab.evaluate(
          `new Promise((ok) => { const w = new Worker("/fixtures/tfjs-examples/worker.js", { type: "module" });` +
            ` w.onmessage = (e) => ok(e.data); w.postMessage(${JSON.stringify(WORKER_CASES)}); })`,
        ),
      );
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("resolves page-relative, root-relative, <base href> and worker-relative strings, shards included", () => {
      expect(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.error ?? v.format]))).toEqual({
        dotRelative: "keras",
        rootRelative: "tfjs",
        bare: "keras",
        baseHref: "tfjs",
        workerRelative: "keras",
        workerShards: "tfjs",
      });
      expect(server.log).toContain("GET /fixtures/keras3/flownet/final_model.keras 200");
      expect(server.log).toContain("GET /fixtures/tfjs-examples/abalone-node/weights.bin 200");
      expect(server.log.filter((l) => !l.endsWith(" 200"))).toEqual([]);
    });

    it("predicts what the same files predict in Node, loaded there as file paths", async () => {
      const keras = await loadModel(path.join(FIXTURES, "keras3/flownet/final_model.keras"));
      const tfjs = await loadModel(path.join(FIXTURES, "tfjs-examples/abalone-node/model.json"));
      const kerasY = (keras.call(array(KERAS_INPUT)) as Tensor).toArray() as number[][];
      const tfjsY = (tfjs.call(array(TFJS_INPUT)) as Tensor).toArray() as number[][];
      const close = (got: unknown, want: number[][]) =>
        (got as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 10)));
      for (const k of ["dotRelative", "bare", "workerRelative"]) close(results[k].y, kerasY);
      for (const k of ["rootRelative", "baseHref", "workerShards"]) close(results[k].y, tfjsY);
    });
  });
});

describe("strings in Node", () => {
  it("stay file paths: a relative path is read from the working directory, not fetched", async () => {
    const rel = path.relative(process.cwd(), path.join(FIXTURES, "keras3/flownet/final_model.keras"));
    const m = await loadModel(`./${rel}`);
    expect(m.fileInfo?.format).toBe("keras");
    await expect(loadModel("/no/such/dir/model.keras")).rejects.toThrow(
      /\/no\/such\/dir\/model\.keras: cannot read the file/,
    );
  });

  it("a Node Buffer from readFileSync loads as its bytes (Buffer#slice is a view, not a copy)", async () => {
    const buffer = readFileSync(path.join(FIXTURES, "keras3/flownet/final_model.keras"));
    const fromBuffer = await loadModel(buffer);
    const fromCopy = await loadModel(new Uint8Array(buffer));
    expect(fromBuffer.fileInfo?.format).toBe("keras");
    const x = array(KERAS_INPUT);
    expect((fromBuffer.call(x) as Tensor).toArray()).toEqual((fromCopy.call(x) as Tensor).toArray());
  });
});
