#!/usr/bin/env node
// The `gradlens` command: runs the compiled CLI (dist/cli/main.js, built by `npm run build`).
// In a checkout without a build, `npx tsx src/cli/main.ts …` runs the same CLI from source.
import { existsSync } from "node:fs";
import { fileURLToPath, URL } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    "gradlens: the compiled CLI (dist/cli/main.js) is missing; run `npm run build` first, " +
      "or run from source with `npx tsx src/cli/main.ts`\n",
  );
  process.exitCode = 70;
} else {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2), undefined, { isolate: true });
}
