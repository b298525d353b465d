/**
 * The browser side of test/browser.library.test.ts, bundled by esbuild with "gradlens" left
 * external (an import map points it at the browser bundle of src/index.ts). It fetches what it
 * needs from the test server, runs the shared scenario with browser sources — a URL string, a
 * `URL`, an ArrayBuffer and a File — and checks that the Node-only entry points fail cleanly.
 */
import { loadModel, loadVegaScripts, writeHtmlReport } from "gradlens";
import { wasmActive } from "../../src/kernels/wasm/runtime.js";
import { runScenario, type Json } from "./browserScenario.js";

/** What the page hands back to the test. */
export interface BrowserRun {
  result: { [k: string]: Json };
  /** The error each Node-only call raised, as `Name: message`. */
  nodeOnly: Record<string, string>;
  /** Whether this browser compiles the WebAssembly GEMM kernels (a separate copy of the runtime). */
  wasm: boolean;
  ms: number;
}

async function rejection(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return "resolved";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

async function run(): Promise<BrowserRun> {
  const base = new URL("/fixtures/", location.href);
  const fetchOk = async (rel: string) => {
    const res = await fetch(new URL(rel, base));
    if (!res.ok) throw new Error(`${rel}: HTTP ${res.status}`);
    return res;
  };
  const golden = (await (await fetchOk("keras3/flownet/golden.json")).json()) as {
    input: { data: number[][] };
  };
  const h5 = await (await fetchOk("dl4j/weights/lstm_tensorflow_2.h5")).arrayBuffer();
  const t0 = performance.now();
  const result = await runScenario({
    keras: new URL("keras3/flownet/final_model.keras", base).href,
    kerasGoldenInput: golden.input.data,
    tfjs: new URL("tfjs-examples/abalone-node/model.json", base),
    h5,
  });
  const ms = performance.now() - t0;
  const lstm = await loadModel(h5);
  const nodeOnly = {
    loadPath: await rejection(() => loadModel("models/model.keras")),
    loadFileUrl: await rejection(() => loadModel(new URL("file:///models/model.keras"))),
    savePath: await rejection(() => lstm.save("model.keras")),
    vegaScripts: await rejection(() => loadVegaScripts()),
    writeHtmlReport: await rejection(() => writeHtmlReport("report.html", result.analyze as never)),
    // Not Node-only: a damaged file, to see a gradlens error class keep its name when minified.
    damagedBytes: await rejection(() => loadModel(new Uint8Array([1, 2, 3]))),
  };
  return { result, nodeOnly, wasm: wasmActive(), ms };
}

(globalThis as { runGradlensBrowserTest?: () => Promise<BrowserRun> }).runGradlensBrowserTest = run;
