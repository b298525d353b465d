/**
 * The README's "Sensitivity analysis" example is real: examples/pricing/sensitivity.ts appears
 * verbatim in the README and runs, the README's CLI section names only commands and options
 * the CLI has, and its `gradlens analyze` session on the pricing example prints what the README
 * shows (timings aside).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { memoryIO } from "../src/cli/io.js";
import { COMMANDS, main } from "../src/cli/main.js";

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

  it("CLI section: the analyze session prints what the README shows (timings aside)", async () => {
    const s = section("CLI");
    const start = s.indexOf("$ npx gradlens analyze ");
    expect(start).toBeGreaterThanOrEqual(0);
    const block = s.slice(start, s.indexOf("```", start)).trimEnd().split("\n");
    let i = 0;
    let cmd = "";
    for (;;) {
      const line = block[i++];
      cmd += line.replace(/\\$/, " ");
      if (!line.endsWith("\\")) break;
    }
    // Shell words (single quotes only), without "$ npx gradlens"; the outputs go to a temp dir.
    const words = [...cmd.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(3);
    const dir = mkdtempSync(join(tmpdir(), "gradlens-readme-"));
    const argv = words.map((w) => (w === "result.json" || w === "report.html" ? join(dir, w) : w));
    const io = memoryIO({ cwd: fileURLToPath(new URL("..", import.meta.url)) });
    try {
      expect(await main(argv, io)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const got = [...io.err().split("\n"), ...io.out().split("\n")].map((l) => l.trimEnd());
    const mask = (l: string) => l.trimEnd().replace(/\d+(\.\d+)? (ms|s|min)\b/g, "#");
    // Every shown line, in order; "…" stands for lines left out. The "wrote" notes go to stderr
    // and name the temp files.
    let at = 0;
    for (const line of block.slice(i)) {
      if (line.trim() === "" || line.trim() === "…") continue;
      if (line.startsWith("wrote ")) {
        expect(got.some((g) => g.startsWith("wrote ") && g.endsWith(line.slice(6)))).toBe(true);
        continue;
      }
      const j = got.findIndex((g, k) => k >= at && mask(g) === mask(line));
      expect(j, `README line not printed (in this order): ${line}`).toBeGreaterThanOrEqual(0);
      at = j + 1;
    }
  }, 300_000);
});
