import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * The transforms' types are tested by the compiler: test/types/transforms.types.ts holds type
 * equalities and `// @ts-expect-error` lines. Compiled with the repo's tsconfig it must give no
 * error (a failing equality, or a directive with no error under it, is one); with the directives
 * stripped, exactly the lines under them must be errors, so none of them can pass vacuously.
 * The compiler runs in a child process (scripts/check-type-tests.cjs): it is synchronous and slow.
 */
interface Diagnostic {
  file: string;
  line: number;
  text: string;
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const show = (ds: Diagnostic[]) => ds.map((d) => `${d.file}:${d.line}: ${d.text}`).join("\n");

describe("typed transforms", () => {
  it("the type expectations compile, and each @ts-expect-error line is really an error", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [resolve(root, "scripts/check-type-tests.cjs")],
      {
        cwd: root,
        maxBuffer: 16 << 20,
      },
    );
    const r = JSON.parse(stdout) as { diagnostics: Diagnostic[]; expected: number[]; stripped: Diagnostic[] };
    expect(r.diagnostics, show(r.diagnostics)).toEqual([]);
    expect(r.expected.length).toBeGreaterThanOrEqual(8);
    expect(
      r.stripped.filter((d) => !r.expected.includes(d.line)),
      show(r.stripped),
    ).toEqual([]);
    expect(new Set(r.stripped.map((d) => d.line)), show(r.stripped)).toEqual(new Set(r.expected));
  }, 300_000);
});
