/**
 * Writing report files in Node: the HTML report with the installed Vega bundles inlined, and the
 * one atomic file writer every output of gradlens goes through (the CLI's --json, --html, --out).
 */
import { importNode } from "../core/platform.js";
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { renderHtmlReport, type HtmlReportOptions } from "./html.js";
import { loadVegaScripts } from "./vega.js";

const WHAT = "writeFileAtomic(path)";

/**
 * Writes `body` to `path` atomically: the bytes go to a temporary file in the same folder, which
 * is flushed and then renamed over `path`. Readers see the previous file or the new one, never a
 * partial file; when anything fails (disk full, file-size limit, permissions) the previous file is
 * untouched and the temporary file is removed. A `path` that is a symbolic link is written
 * through: the file it points to is replaced, the link stays. The folder is created when missing;
 * an existing file keeps its permission bits. A `path` that exists and is not a regular file (a
 * character or block device such as `/dev/null`, a FIFO, a socket, `/dev/fd/N`) is written to
 * directly, with no temporary file and no rename, so the node stays what it was. Resolves to the
 * number of bytes written. Node only.
 *
 * @example
 * await writeFileAtomic("out/result.json", JSON.stringify(result));
 */
export async function writeFileAtomic(path: string, body: string | Uint8Array): Promise<number> {
  const fs = await importNode("node:fs/promises", WHAT);
  const { basename, dirname, join } = await importNode("node:path", WHAT);
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  // A device, FIFO or socket (`/dev/null`, `mkfifo`, `/dev/fd/3` from `3> >(jq .)`) is written
  // into as it is: a rename would replace the node itself with a regular file (as root, the
  // system's /dev/null), and a pipe cannot hold a temporary file next to it anyway.
  const existing = await fs.stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    await fs.writeFile(path, bytes);
    return bytes.length;
  }
  let dest = path;
  let mode: number | undefined;
  try {
    dest = await fs.realpath(path);
    mode = (await fs.stat(dest)).mode & 0o7777;
  } catch (e) {
    // Not there yet (or a dangling link, which the rename replaces): a new file.
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    dest = path;
  }
  const dir = dirname(dest);
  await fs.mkdir(dir, { recursive: true });
  // A dot-file next to the destination: same filesystem, so the rename is atomic.
  const tmp = join(dir, `.${basename(dest)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fh: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    fh = await fs.open(tmp, "wx", 0o666);
    if (mode !== undefined) await fh.chmod(mode);
    await fh.writeFile(bytes);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.rename(tmp, dest);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  return bytes.length;
}

/**
 * Renders the report with the installed Vega bundles and writes it to `path` atomically
 * (creating the folder; see `writeFileAtomic`). Resolves to the number of bytes written. Node only.
 *
 * @example
 * await writeHtmlReport("out/report.html", result, { title: "pricing model", modelSummary: inspectModel(model) });
 */
export async function writeHtmlReport(
  path: string,
  result: SensitivityResult,
  opts: Omit<HtmlReportOptions, "scripts"> = {},
): Promise<number> {
  return writeFileAtomic(path, await renderHtmlReportWithScripts(result, opts));
}

/**
 * The HTML report as text with the installed Vega bundles inlined (what `writeHtmlReport` writes).
 * Node only.
 *
 * @example
 * process.stdout.write(await renderHtmlReportWithScripts(result, { title: "pricing model" }));
 */
export async function renderHtmlReportWithScripts(
  result: SensitivityResult,
  opts: Omit<HtmlReportOptions, "scripts"> = {},
): Promise<string> {
  return renderHtmlReport(result, { ...opts, scripts: await loadVegaScripts() });
}
