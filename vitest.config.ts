import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  // Examples import "gradlens" as users do; in tests that resolves to the sources.
  resolve: {
    alias: [
      { find: /^gradlens\/(nn|io|sensitivity|report|testing|cli)$/, replacement: src("$1/index.ts") },
      { find: /^gradlens$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
