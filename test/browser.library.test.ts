/**
 * The library in a real browser. src/index.ts is bundled by esbuild for the browser (ESM, no
 * externals, no shims for Node built-ins), served with the model fixtures from a local HTTP
 * server, and run in Debian's headless chromium: array ops, grad / jacrev / hessian / vmap,
 * loadModel from a URL (Keras 3 `.keras`, TF.js model.json + shard), from an ArrayBuffer and a
 * File (legacy `.h5`), derivatives of the loaded models, save to bytes and reload, and analyze()
 * of a pricing function (test/helpers/browserScenario.ts). Every number is compared with the
 * same computation in Node. In CI (CI set) a missing chromium fails the test; locally it is
 * skipped with a message.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasmActive } from "../src/kernels/wasm/runtime.js";
import { bundleLibrary, bundlePage, REPO_ROOT, type Bundle } from "./helpers/browserBundle.js";
import {
  CHROMIUM,
  compareJson,
  hasChromium,
  inCI,
  launchChromium,
  serve,
  type Comparison,
  type StaticServer,
} from "./helpers/browserHarness.js";
import type { BrowserRun } from "./helpers/browserPage.js";
import { ROUNDING_NOISE, runScenario, type Json } from "./helpers/browserScenario.js";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/real");
const fixture = (rel: string) => path.join(FIXTURES, rel);

if (!hasChromium && !inCI)
  console.warn(
    `browser.library.test: skipped the chromium part — ${CHROMIUM} not found (install Debian's chromium to run it)`,
  );

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "gradlens": "/gradlens.js" } }</script>
<script type="module" src="/page.js"></script>
</head><body></body></html>`;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

describe("gradlens in the browser", () => {
  let lib: Bundle;
  let page: Bundle;

  beforeAll(async () => {
    [lib, page] = await Promise.all([bundleLibrary(), bundlePage()]);
    console.info(`browser bundle of src/index.ts: ${kib(lib.bytes)} minified, ${kib(lib.gzipBytes)} gzipped`);
  });

  it("bundles src/index.ts for the browser with no Node built-in, no CLI and no warning", () => {
    expect(lib.warnings).toEqual([]);
    expect(lib.imports).toEqual([]); // nothing left external: no node:* import, static or dynamic
    expect(lib.inputs.filter((f) => f.startsWith("node:") || /^src\/cli\//.test(f))).toEqual([]);
    expect(lib.inputs).toContain("src/io/source.ts");
    expect(lib.inputs.filter((f) => f.startsWith("node_modules/")).sort()).toEqual([
      "node_modules/fflate/esm/browser.js",
      "node_modules/jsfive/dist/esm/index.mjs",
    ]);
    // The page script takes the library from the import map, not a second copy.
    expect(page.warnings).toEqual([]);
    expect(page.inputs.filter((f) => f.startsWith("src/") && !f.startsWith("src/kernels/wasm/"))).toEqual([]);
    expect(page.imports.map((i) => i.path)).toEqual(["gradlens", "gradlens"]);
  });

  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("in headless chromium", () => {
    let dir: string;
    let server: StaticServer;
    let browser: BrowserContext;
    let browserRun: BrowserRun;
    let nodeResult: { [k: string]: Json };
    let nodeMs: number;
    let comparison: Comparison;
    const consoleProblems: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "gradlens-browser-"));
      server = await serve({ "/": PAGE, "/gradlens.js": lib.code, "/page.js": page.code }, FIXTURES);
      browser = await launchChromium(path.join(dir, "profile"));
      const tab = await browser.newPage();
      tab.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") consoleProblems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => consoleProblems.push(`pageerror: ${e.message}`));
      tab.on("request", (r) => requests.push(r.url()));
      tab.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
      tab.on("response", (r) => r.status() >= 400 && failed.push(`${r.url()}: HTTP ${r.status()}`));
      // A bundle that throws while loading fails here, with its error, rather than at a timeout.
      const loadError = new Promise<never>((_, reject) =>
        tab.once("pageerror", (e) => reject(new Error(`the page failed to load: ${e.message}`))),
      );
      await tab.goto(`${server.origin}/`);
      await Promise.race([
        tab.waitForFunction("typeof globalThis.runGradlensBrowserTest === 'function'"),
        loadError,
      ]);
      browserRun = (await tab.evaluate("globalThis.runGradlensBrowserTest()")) as BrowserRun;

      const golden = JSON.parse(readFileSync(fixture("keras3/flownet/golden.json"), "utf8")) as {
        input: { data: number[][] };
      };
      const h5 = readFileSync(fixture("dl4j/weights/lstm_tensorflow_2.h5"));
      const t0 = performance.now();
      nodeResult = await runScenario({
        keras: fixture("keras3/flownet/final_model.keras"),
        kerasGoldenInput: golden.input.data,
        tfjs: fixture("tfjs-examples/abalone-node/model.json"),
        h5: h5.buffer.slice(h5.byteOffset, h5.byteOffset + h5.byteLength),
      });
      nodeMs = performance.now() - t0;
      comparison = compareJson(browserRun.result, nodeResult, {
        rtol: 1e-12,
        noise: ROUNDING_NOISE,
        noiseAtol: 1e-9,
      });
      const bySection = new Map<string, number>();
      for (const p of comparison.differentBits) {
        const section = p.split(/[.[]/)[1];
        bySection.set(section, (bySection.get(section) ?? 0) + 1);
      }
      console.info(
        `browser vs Node: ${comparison.numbers} numbers, ${comparison.differentBits.length} not bit-identical ` +
          `(${[...bySection].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}), max relative difference ` +
          `${comparison.maxRelDiff.toExponential(2)}; scenario ${browserRun.ms.toFixed(0)} ms in chromium, ` +
          `${nodeMs.toFixed(0)} ms in Node; WebAssembly kernels: browser ${browserRun.wasm}, Node ${wasmActive()}`,
      );
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("runs without page errors, console warnings, or failed requests other than the missing model", () => {
      // The one expected failure: loadModel("models/model.keras") fetches a URL the server lacks.
      const missing = `${server.origin}/models/model.keras`;
      expect(consoleProblems).toEqual([
        "error: Failed to load resource: the server responded with a status of 404 (Not Found)",
      ]);
      expect(failed).toEqual([`${missing}: HTTP 404`]);
    });

    it("requests nothing but the test server, and finds the TF.js shard beside model.json", () => {
      expect(requests.filter((u) => !u.startsWith(`${server.origin}/`))).toEqual([]);
      expect(server.log).toContain("GET /fixtures/tfjs-examples/abalone-node/weights.bin 200");
      expect(server.log).toContain("GET /fixtures/keras3/flownet/final_model.keras 200");
      expect(server.log).toContain("GET /gradlens.js 200");
    });

    it("computes every number as Node does, to 1e-12 relative", () => {
      expect(comparison.numbers).toBeGreaterThan(4000);
      expect(comparison.mismatches.slice(0, 20)).toEqual([]);
    });

    // Elementary functions call Math.exp, Math.log, Math.sin…, which ECMAScript leaves
    // approximate: Node 20's V8 and a current chromium differ in the last bit for a few percent of
    // arguments. Plain arithmetic (+ − × ÷ √) is exact in IEEE 754, so with the same kernels
    // (WebAssembly GEMM included) the arithmetic-only parts must agree to the bit.
    it("gets the same bits as Node wherever only arithmetic is involved", () => {
      const arithmetic = comparison.differentBits.filter((p) => /^\$\.(arithmetic|keras)\b/.test(p));
      expect(arithmetic.slice(0, 20)).toEqual([]);
    });

    it("loads each format from browser sources, and the loaded models are differentiable", () => {
      const r = browserRun.result as Record<string, Record<string, Json>>;
      const format = (j: Json) => (j as { format: string }).format;
      expect(format(r.keras.fileInfo)).toBe("keras");
      expect(format(r.tfjs.fileInfo)).toBe("tfjs");
      expect(format(r.h5.fileInfo)).toBe("h5");
      expect(format(r.h5.fileFileInfo)).toBe("h5");
      expect(format(r.h5.reloadedFileInfo)).toBe("keras");
      // A File and an ArrayBuffer of the same .h5, and its save({ bytes: true }) round trip, agree exactly.
      expect(r.h5.predictFromFile).toEqual(r.h5.predict);
      expect(r.h5.reloadedPredict).toEqual(r.h5.predict);
      expect(r.h5.savedIsZip).toBe(true);
      const d = r.tfjs.derivatives as { jacobian: Record<string, Record<string, { shape: number[] }>> };
      expect(d.jacobian.dense_Dense3.dense_Dense1_input.shape).toEqual([7, 8]);
    });

    it("analyze() in the browser passes its own finite-difference check", () => {
      const a = browserRun.result.analyze as { verification: { passed: boolean }; meta: { n: number } };
      expect(a.verification.passed).toBe(true);
      expect(a.meta.n).toBe(300);
      expect(browserRun.result.analyzeText).toMatch(
        /Finite-difference check on 10 rows \(rtol 1e-6\): passed/,
      );
    });

    it("predicts what Keras recorded for the FlowNet .keras model (float32 precision)", () => {
      const golden = JSON.parse(readFileSync(fixture("keras3/flownet/golden.json"), "utf8")) as {
        expected: { data: number[][] };
      };
      const want = golden.expected.data.flat();
      const got = ((browserRun.result.keras as Record<string, Json>).golden as { data: number[] }).data;
      expect(got.length).toBe(want.length);
      const bad = got.filter((g, i) => !(Math.abs(g - want[i]) <= 2e-6 + 1e-5 * Math.abs(want[i])));
      expect(bad).toEqual([]);
    });

    // With GRADLENS_KERNELS=js Node is forced onto the JS loops while the page is not.
    it.skipIf(process.env.GRADLENS_KERNELS === "js")("uses the WebAssembly kernels when Node does", () => {
      expect(browserRun.wasm).toBe(wasmActive());
    });

    it("refuses the Node-only entry points with a clear error", () => {
      expect(browserRun.nodeOnly).toEqual({
        // In a page a string is a URL relative to document.baseURI (test/browser.urls.test.ts): fetched, 404.
        loadPath: expect.stringMatching(
          /^ModelFormatError: http:\/\/127\.0\.0\.1:\d+\/models\/model\.keras: HTTP 404 Not Found$/,
        ),
        loadFileUrl: "ValueError: loadModel: file: URLs need Node (file:///models/model.keras)",
        savePath:
          "ValueError: model.save('model.keras'): writing files needs Node; use model.save({ bytes: true })",
        vegaScripts: expect.stringMatching(
          /^ValueError: loadVegaScripts .* needs Node \(it uses node:fs\/promises\)$/,
        ),
        writeHtmlReport: expect.stringMatching(/^ValueError: loadVegaScripts .* needs Node/),
        damagedBytes: expect.stringMatching(/^ModelFormatError: <bytes>: /),
      });
    });
  });
});
