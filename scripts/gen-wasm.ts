/**
 * Regenerates src/kernels/wasm/module.ts, the WebAssembly kernels as base64, from the kernel
 * sources in scripts/wasm/. No toolchain: the bytes come from the small assembler in
 * scripts/wasm/asm.ts, so CI and users never build anything.
 *
 *   npx tsx scripts/gen-wasm.ts          # writes the file
 *   npx tsx scripts/gen-wasm.ts --check  # exits 1 if the committed file is stale
 *
 * test/kernels.wasm.test.ts runs the same comparison, so a stale file fails the tests.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { moduleSource } from "./wasm/module.js";

const target = fileURLToPath(new URL("../src/kernels/wasm/module.ts", import.meta.url));
const source = moduleSource();
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== source) {
    console.error(`${target} is stale: run npx tsx scripts/gen-wasm.ts`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, source);
  console.log(`wrote ${target}`);
}
