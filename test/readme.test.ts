import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

/**
 * The README's code is real: each example lives in examples/readme/, appears verbatim in the
 * README, and runs here.
 */
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = (name: string) =>
  readFileSync(new URL(`../examples/readme/${name}`, import.meta.url), "utf8").trim();

describe("README examples", () => {
  for (const name of ["quickstart.ts", "pricing.ts"]) {
    it(`${name} appears verbatim in the README and runs`, async () => {
      expect(readme).toContain(example(name));
      const lines: string[] = [];
      const spy = vi
        .spyOn(console, "log")
        .mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
      try {
        await import(`../examples/readme/${name}`);
      } finally {
        spy.mockRestore();
      }
      expect(lines.length).toBeGreaterThan(0);
    });
  }
});
