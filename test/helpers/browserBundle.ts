/**
 * Browser bundles for test/browser.library.test.ts, built with esbuild (a dependency of tsx and
 * vite) the way an application bundler would: platform "browser", format "esm", no externals and
 * no configuration for Node built-ins.
 */
import { build, type Metafile } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Bundle {
  code: string;
  /** Size of the code in bytes, and gzipped (zlib's default level). */
  bytes: number;
  gzipBytes: number;
  /** Files that went in, relative to the repository root (`node_modules/…`, `src/…`). */
  inputs: string[];
  /** Imports left in the output (external modules): none for a self-contained bundle. */
  imports: Metafile["outputs"][string]["imports"];
  warnings: string[];
}

async function bundle(opts: Parameters<typeof build>[0]): Promise<Bundle> {
  const r = await build({
    ...opts,
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: REPO_ROOT,
    outfile: "out.js",
  });
  const code = r.outputFiles[0].text;
  const out = Object.values(r.metafile.outputs)[0];
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).length,
    inputs: Object.keys(r.metafile.inputs),
    imports: out.imports,
    warnings: r.warnings.map((w) => `${w.location?.file ?? ""}:${w.location?.line ?? ""} ${w.text}`),
  };
}

/** The whole public API, `export * from "src/index.ts"`, minified as an application would ship it. */
export const bundleLibrary = (): Promise<Bundle> =>
  bundle({
    stdin: { contents: 'export * from "./src/index.ts";', resolveDir: REPO_ROOT, loader: "ts" },
    minify: true,
  });

/** The page script (test/helpers/browserPage.ts) with "gradlens" left to the import map. */
export const bundlePage = (): Promise<Bundle> =>
  bundle({ entryPoints: [path.join(REPO_ROOT, "test/helpers/browserPage.ts")], external: ["gradlens"] });
