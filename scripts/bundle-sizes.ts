/**
 * Prints what a browser application pays for gradlens: esbuild bundles (platform "browser", ESM,
 * minified, as an application bundler would build them) of a few typical imports from the built
 * package, by name, so package.json's `exports` and `sideEffects` apply as they do for users. Each
 * bundle is also run once in Node to show that tree-shaking kept everything it needs.
 *
 *   npm run build && npx tsx scripts/bundle-sizes.ts
 *
 * The README's "In the browser" paragraph quotes these numbers.
 */
import { build } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The imports measured, each with a line that uses them (and prints a result). */
export const CASES: { name: string; code: string }[] = [
  {
    name: 'import { grad, vmap } from "gradlens"',
    code: `import { grad, vmap, array } from "gradlens";
const g = vmap(grad((x) => x.tanh().sum()));
console.log(g(array([[0.1, 0.2]])).toString());`,
  },
  {
    name: 'import { loadModel, derivatives } from "gradlens"',
    code: `import { loadModel, derivatives } from "gradlens";
const m = await loadModel(globalThis.GRADLENS_MODEL_BYTES);
const d = derivatives(m, [[0.1, 0.2]]);
console.log(m.fileInfo.format, typeof m.save, JSON.stringify(Object.keys(d)));`,
  },
  {
    name: 'import { analyze } from "gradlens/sensitivity"',
    code: `import { analyze } from "gradlens/sensitivity";
console.log(typeof analyze);`,
  },
  {
    name: 'import * as gradlens from "gradlens" (everything)',
    code: `import * as gradlens from "gradlens";
console.log(Object.keys(gradlens).length);`,
  },
];

/** One measured bundle. */
export interface BundleSize {
  name: string;
  bytes: number;
  gzipBytes: number;
  /** What running the bundle printed. */
  output: string;
}

async function runBundle(code: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gradlens-bundle-"));
  const file = join(dir, "bundle.mjs");
  writeFileSync(file, code);
  // The loadModel case reads a real Keras 3 file, handed over as bytes (the bundle is for browsers).
  (globalThis as { GRADLENS_MODEL_BYTES?: Uint8Array }).GRADLENS_MODEL_BYTES = readFileSync(
    join(ROOT, "test/fixtures/real/keras3/flownet/final_model.keras"),
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join("\n");
}

/**
 * Bundles and runs every case.
 *
 * @example
 * for (const s of await bundleSizes()) console.log(s.name, s.bytes);
 */
export async function bundleSizes(): Promise<BundleSize[]> {
  const out: BundleSize[] = [];
  for (const c of CASES) {
    const r = await build({
      stdin: { contents: c.code, resolveDir: ROOT, loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
      absWorkingDir: ROOT,
    });
    const code = r.outputFiles[0].text;
    out.push({
      name: c.name,
      bytes: Buffer.byteLength(code),
      gzipBytes: gzipSync(code).length,
      output: await runBundle(code),
    });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(ROOT, "dist/index.js"))) {
    console.error("bundle-sizes: dist/ is missing; run `npm run build` first");
    process.exit(2);
  }
  const kb = (n: number) => `${(n / 1000).toFixed(0)} KB`;
  console.log("esbuild --bundle --minify --platform=browser (gradlens from dist/, by name)\n");
  for (const s of await bundleSizes())
    console.log(
      `${s.name.padEnd(52)} ${kb(s.bytes).padStart(7)} min  ${kb(s.gzipBytes).padStart(7)} gzip  → ${s.output.split("\n")[0]}`,
    );
}
