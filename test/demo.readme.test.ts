/**
 * The README's "Sensitivity analysis" example is real: examples/pricing/sensitivity.ts appears
 * verbatim in the README and runs, and the README's CLI section names only commands and options
 * the CLI has.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { COMMANDS } from "../src/cli/main.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = (title: string) => {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
};

describe("README", () => {
  it("shows examples/pricing/sensitivity.ts verbatim, and it runs", async () => {
    const code = readFileSync(new URL("../examples/pricing/sensitivity.ts", import.meta.url), "utf8").trim();
    expect(section("Sensitivity analysis")).toContain(code);
    const lines: string[] = [];
    const spy = vi
      .spyOn(console, "log")
      .mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      await import("../examples/pricing/sensitivity.js");
    } finally {
      spy.mockRestore();
    }
    expect(lines[1]).toMatch(/^delta 1\.\d+ verified true$/);
  });

  it("links the schema document and describes every section of the result", () => {
    const s = section("Sensitivity analysis");
    expect(s).toContain("docs/sensitivity-schema.md");
    for (const key of [
      "inputs",
      "outputs",
      "perSample",
      "summary",
      "attribution",
      "dgsm",
      "verification",
      "whatif",
      "meta",
    ])
      expect(s).toContain(`\`${key}\``);
  });

  it("CLI section: every command is shown, and every --option used exists on its command", () => {
    const s = section("CLI");
    for (const c of COMMANDS) expect(s).toContain(`gradlens ${c.name}`);
    for (const m of s.matchAll(/gradlens (\w+)((?:[^\n]|\\\n)*)/g)) {
      const cmd = COMMANDS.find((c) => c.name === m[1]);
      if (!cmd) continue;
      const args = m[2].replace(/\s#.*$/gm, ""); // drop shell comments
      for (const opt of args.matchAll(/(?:^|\s)--([a-z-]+)/g))
        expect(
          cmd.options.map((o) => o.name),
          `gradlens ${m[1]} --${opt[1]}`,
        ).toContain(opt[1]);
    }
  });
});
