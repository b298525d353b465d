/**
 * The package as a user gets it (issue 11). The package is staged in a temporary folder — dist/
 * copied when it is newer than src/ (as `npm ci` leaves it, via `prepare`), else compiled there;
 * the repository's dist/ is never rebuilt here, other tests read it — packed with `npm pack`, and
 * installed offline (the tarball plus npm's local cache, which `npm ci` filled) into one fresh
 * project. That install serves a CommonJS project (the default `"type"`) and an ESM project
 * beside it. Then, as a user would: an ESM script, a CJS script (`require` of the ESM build,
 * Node ≥ 20.19), strict TypeScript (ESM under node16 and bundler resolution, CommonJS under
 * nodenext), the shipped examples run from node_modules/gradlens, `npx gradlens --help` and
 * `npx gradlens demo`. Install size and package count are checked against the targets.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const run = promisify(execFile);

interface Lock {
  packages: Record<string, { version: string; integrity?: string; dependencies?: Record<string, string> }>;
}
interface Pkg {
  name: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Pkg;

/**
 * The environment without what `npm test` exports about this repository (its package, lifecycle
 * and local prefix), so npm and npx in the temporary project see that project, not this one.
 */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$)/i.test(k),
  ),
);

/** Runs a command; resolves with its output whatever the exit code (the tests assert on it). */
async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const r = await run(cmd, args, { cwd, env: { ...cleanEnv, ...env }, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === "number" ? x.code : 1, stdout: x.stdout ?? "", stderr: x.stderr ?? "" };
  }
}

/** Installed packages in a node_modules folder (scoped ones counted one by one, nested ones too). */
function installedPackages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const names = name.startsWith("@")
      ? readdirSync(path.join(dir, name)).map((n) => `${name}/${n}`)
      : [name];
    for (const n of names) {
      out.push(n);
      out.push(...installedPackages(path.join(dir, n, "node_modules")));
    }
  }
  return out;
}

/** Modification times of the files under `dir` with one of `exts`. */
function mtimes(dir: string, exts: string[]): number[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .map((f) => statSync(path.join(dir, f)).mtimeMs);
}

/**
 * Whether dist/ was built after the last change to src/ (as `npm ci` leaves it, via `prepare`):
 * then it is copied, saving a full compile; otherwise the library is compiled into the staging copy.
 */
function distIsFresh(): boolean {
  if (!existsSync(path.join(ROOT, "dist/index.js"))) return false;
  const built = mtimes(path.join(ROOT, "dist"), [".js", ".d.ts"]);
  return built.length > 0 && Math.min(...built) >= Math.max(...mtimes(path.join(ROOT, "src"), [".ts"]));
}

function duBytes(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((s, n) => s + duBytes(path.join(p, n)), 0);
}

/**
 * A package-lock for `npm ci --offline`: the tarball, plus the runtime dependencies at the versions
 * and integrities of the repository's lock (hence in npm's cache). Packument requests, which a
 * plain `npm i ./x.tgz` makes, are not cached by `npm ci`, so resolution must not need them.
 */
function appLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lock;
  const packages: Record<string, object> = {
    "": { name: "app", version: "1.0.0", dependencies: { gradlens: `file:${tarball}` } },
    "node_modules/gradlens": {
      version: pkg.version,
      resolved: `file:${tarball}`,
      dependencies: pkg.dependencies,
      bin: { gradlens: "bin/gradlens.mjs" },
    },
  };
  const todo = Object.keys(pkg.dependencies);
  while (todo.length > 0) {
    const name = todo.pop()!;
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = lock.packages[key];
    if (!entry) throw new Error(`package-lock.json has no ${key} (a runtime dependency of gradlens)`);
    packages[key] = entry;
    todo.push(...Object.keys(entry.dependencies ?? {}));
  }
  return { name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, packages };
}

const ESM_SCRIPT = `
import { array, grad, vmap } from "gradlens";
import { Sequential } from "gradlens/nn";
import { loadModel } from "gradlens/io";
import { analyze } from "gradlens/sensitivity";
import { loadVegaScripts } from "gradlens/report";
import { checkGrads } from "gradlens/testing";
const g = vmap(grad((x) => x.mul(x).sum()))(array([[1, 2], [3, 4]]));
const model = await loadModel("node_modules/gradlens/examples/pricing/hidden.keras");
const y = model.call(array([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]]));
const vega = await loadVegaScripts();
console.log(JSON.stringify({
  grad: g.toArray(),
  model: { format: model.fileInfo.format, shape: y.shape },
  vegaBytes: [vega.vega.length, vega.vegaLite.length, vega.vegaEmbed.length],
  kinds: [typeof Sequential, typeof analyze, typeof checkGrads],
}));
`;

const CJS_SCRIPT = `
const { array, grad, hessian } = require("gradlens");
const { loadModel } = require("gradlens/io");
const { allclose } = require("gradlens/testing");
const f = (x) => x.mul(x).mul(x).sum();
loadModel("node_modules/gradlens/examples/pricing/hidden.keras").then((m) => {
  console.log(JSON.stringify({
    grad: grad(f)(array([1, 2])).toArray(),
    hessian: hessian(f)(array([1, 2])).toArray(),
    close: allclose(array([1]), array([1 + 1e-12])),
    format: m.fileInfo.format,
  }));
});
`;

/** Typed use of the public API; strict, and gradlens's own .d.ts files are checked (no skipLibCheck). */
const TS_ESM = `
import { array, grad, type Tensor } from "gradlens";
import { Sequential, layers } from "gradlens/nn";
import { loadModel, type LoadOptions } from "gradlens/io";
import { analyze, type SensitivityResult } from "gradlens/sensitivity";
import { renderHtmlReport, type VegaScripts } from "gradlens/report";
import { checkGrads } from "gradlens/testing";
const g: Tensor = grad((x: Tensor) => x.mul(x).sum())(array([1, 2])) as Tensor;
const opts: LoadOptions = {};
const scripts: VegaScripts = { vega: "", vegaLite: "", vegaEmbed: "" };
export const used = [g.shape, opts, scripts, Sequential, layers, loadModel, analyze, renderHtmlReport, checkGrads];
export type R = SensitivityResult;
// @ts-expect-error: no such export; were the types not seen, this directive would be the error (TS2578)
import { notAnExport } from "gradlens";
export { notAnExport };
`;
const TS_CJS = `
import { array, grad, type Tensor } from "gradlens";
import { checkGrads } from "gradlens/testing";
const g = grad((x: Tensor) => x.mul(x).sum())(array([1, 2])) as Tensor;
export const n: number = g.size + checkGrads.length;
`;

describe("the packed package", () => {
  let tmp: string;
  let app: string;
  let files: string[];
  let tarballBytes: number;
  let installed: string[];
  let installBytes: number;
  let installOutput: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "gradlens-pack-"));
    // Stage the package: the files package.json ships, with dist compiled from src into the copy.
    const stage = path.join(tmp, "stage");
    mkdirSync(stage);
    for (const f of ["package.json", "README.md", "LICENSE", ...pkg.files])
      if (!f.startsWith("!") && f !== "dist" && existsSync(path.join(ROOT, f)))
        cpSync(path.join(ROOT, f), path.join(stage, f), { recursive: true });
    if (distIsFresh()) cpSync(path.join(ROOT, "dist"), path.join(stage, "dist"), { recursive: true });
    else {
      const built = await sh(
        process.execPath,
        [TSC, "-p", "tsconfig.build.json", "--outDir", path.join(stage, "dist")],
        ROOT,
      );
      if (built.code !== 0) throw new Error(`tsc failed:\n${built.stdout}${built.stderr}`);
    }
    const packed = await sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], stage);
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
    const info = (
      JSON.parse(packed.stdout) as { filename: string; size: number; files: { path: string }[] }[]
    )[0];
    files = info.files.map((f) => f.path).sort();
    tarballBytes = info.size;
    const tarball = path.join(tmp, info.filename);

    app = path.join(tmp, "app");
    mkdirSync(app);
    writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({
        name: "app",
        version: "1.0.0",
        private: true,
        dependencies: { gradlens: `file:${tarball}` },
      }),
    );
    writeFileSync(path.join(app, "package-lock.json"), JSON.stringify(appLock(tarball), null, 2));
    installOutput = await sh("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
    installed = installedPackages(path.join(app, "node_modules"));
    installBytes = existsSync(path.join(app, "node_modules")) ? duBytes(path.join(app, "node_modules")) : 0;
    console.info(
      `packaging: tarball ${(tarballBytes / 1e3).toFixed(0)} kB, ${files.length} files; fresh install ` +
        `${installed.length} packages (${installed.join(", ")}), ${(installBytes / 1e6).toFixed(2)} MB`,
    );
    // The ESM project sits inside the CommonJS one and shares its node_modules.
    mkdirSync(path.join(app, "esm"));
    writeFileSync(
      path.join(app, "esm/package.json"),
      JSON.stringify({ name: "esm-app", private: true, type: "module" }),
    );
  }, 600_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("ships every file the README links, so its links work for someone who installed the package", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((l) => !files.includes(l.replace(/^\.\//, "")))).toEqual([]);
  });

  it("ships what users need and nothing dev-only", () => {
    for (const f of [
      "LICENSE",
      "README.md",
      "package.json",
      "bin/gradlens.mjs",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "vendor/vega/vega.min.js",
      "vendor/vega/vega.LICENSE",
      "vendor/vega/vega-lite.LICENSE",
      "vendor/vega/vega-embed.LICENSE",
      "examples/pricing/hidden.keras",
      "examples/pricing/data/pricing.csv",
      "examples/readme/quickstart.ts",
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]); // no source maps pointing at unshipped src
    // bench/RESULTS.md is the one bench file shipped: the README links it.
    expect(
      files.filter(
        (f) =>
          (/^(src|test|scripts|bench|\.ci)\//.test(f) && f !== "bench/RESULTS.md") || f.endsWith(".test.js"),
      ),
    ).toEqual([]);
    expect(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("examples/")),
    ).toEqual([]);
  });

  it("ships every docs/ file the CLI and the README cite", () => {
    const cli = files.filter((f) => f.startsWith("dist/cli/") && f.endsWith(".js"));
    const cited = new Set<string>();
    for (const f of cli) {
      const text = readFileSync(path.join(app, "node_modules/gradlens", f), "utf8");
      for (const m of text.matchAll(/\bdocs\/[\w.-]+\.md\b/g)) cited.add(m[0]);
    }
    expect(cited.size).toBeGreaterThan(0);
    for (const d of cited) expect(files).toContain(d);
  });

  it("installs offline into a fresh project: ≤ 10 packages and ≤ 8 MB", () => {
    expect(installOutput.code, installOutput.stderr).toBe(0);
    expect(installed).toContain("gradlens");
    expect(installed).not.toContain("vega");
    expect(installed.length).toBeLessThanOrEqual(10);
    expect(installBytes).toBeLessThanOrEqual(8e6);
  });

  it("runs an ESM script importing the root and every subpath", async () => {
    writeFileSync(path.join(app, "esm/app.js"), ESM_SCRIPT);
    const r = await sh(process.execPath, ["esm/app.js"], app);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      grad: [
        [2, 4],
        [6, 8],
      ],
      model: { format: "keras", shape: [1, 1] },
      vegaBytes: [expect.any(Number), expect.any(Number), expect.any(Number)],
      kinds: ["function", "function", "function"],
    });
    const [vega, vl, embed] = JSON.parse(r.stdout).vegaBytes as number[];
    expect(vega + vl + embed).toBeGreaterThan(700_000);
  });

  it("runs a CommonJS script: require() of the ESM build, with no warning", async () => {
    writeFileSync(path.join(app, "app.js"), CJS_SCRIPT);
    const r = await sh(process.execPath, ["app.js"], app);
    expect(r.stderr).toBe("");
    // d/dx Σx³ = 3x², d²/dx² = diag(6x)
    expect(JSON.parse(r.stdout)).toEqual({
      grad: [3, 12],
      hessian: [
        [6, 0],
        [0, 12],
      ],
      close: true,
      format: "keras",
    });
  });

  it("type-checks strict TypeScript: ESM under node16 and bundler, CommonJS under nodenext", async () => {
    writeFileSync(path.join(app, "esm/check.ts"), TS_ESM);
    writeFileSync(path.join(app, "check.cts"), TS_CJS);
    const strict = [
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "false",
      "--target",
      "es2022",
      "--lib",
      "es2022,dom",
    ];
    const checks = await Promise.all([
      sh(
        process.execPath,
        [TSC, ...strict, "--module", "node16", "--moduleResolution", "node16", "esm/check.ts"],
        app,
      ),
      sh(
        process.execPath,
        [TSC, ...strict, "--module", "preserve", "--moduleResolution", "bundler", "esm/check.ts"],
        app,
      ),
      // A CommonJS TypeScript file: `require` of ESM is modelled by module nodenext (TypeScript ≥ 5.8).
      sh(
        process.execPath,
        [TSC, ...strict, "--module", "nodenext", "--moduleResolution", "nodenext", "check.cts"],
        app,
      ),
    ]);
    for (const c of checks) expect(c.stdout + c.stderr).toBe("");
  });

  it("runs the shipped examples from node_modules/gradlens", async () => {
    const quick = await sh(
      process.execPath,
      [TSX, "node_modules/gradlens/examples/readme/quickstart.ts"],
      app,
    );
    expect(quick.stderr).toBe("");
    expect(quick.stdout).toMatch(/\[ 1000, 8 \] \[ 1000, 8, 8 \] array\(1\.\)/);
    const sens = await sh(
      process.execPath,
      [TSX, "node_modules/gradlens/examples/pricing/sensitivity.ts"],
      app,
    );
    expect(sens.stdout).toMatch(/verified true/);
  });

  it("npx gradlens --help and npx gradlens demo work from the install", async () => {
    const env = { npm_config_offline: "true" };
    const help = await sh("npx", ["gradlens", "--help"], app, env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^gradlens \d+\.\d+\.\d+ — /);
    expect(help.stdout).toContain("demo");
    const demo = await sh("npx", ["gradlens", "demo", "--html", "out/report.html", "--quiet"], app, env);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain("4000 rows, 9 features");
    expect(demo.stdout).toMatch(/passed/);
    const html = readFileSync(path.join(app, "out/report.html"), "utf8");
    expect(html.length).toBeGreaterThan(800_000); // the vendored Vega builds are inlined
    expect(html).toContain("Pricing model (demo)");
  });
});
