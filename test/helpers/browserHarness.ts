/**
 * Test plumbing for test/browser.library.test.ts: a static HTTP server on 127.0.0.1 (port 0)
 * that records every request, Debian's chromium launched as test/report.browser.test.ts does,
 * and a number-by-number comparison of two JSON results.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const inCI = Boolean(process.env.CI);

/** Headless Debian chromium with a fresh profile in `profileDir`. */
export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

export interface StaticServer {
  origin: string;
  /** Every request the server answered: `METHOD /path status`. */
  log: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
};

/**
 * Serves `pages` (path → text) from memory and, under `/fixtures/`, files of `fixturesDir`
 * (never outside it).
 */
export async function serve(pages: Record<string, string>, fixturesDir: string): Promise<StaticServer> {
  const log: string[] = [];
  const root = path.resolve(fixturesDir);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      let status = 404;
      let body: Uint8Array | string = "not found";
      let type = "text/plain";
      if (Object.hasOwn(pages, url.pathname)) {
        [status, body] = [200, pages[url.pathname]];
        type = TYPES[path.extname(url.pathname) || ".html"];
      } else if (url.pathname.startsWith("/fixtures/")) {
        const file = path.resolve(root, decodeURIComponent(url.pathname.slice("/fixtures/".length)));
        if (file.startsWith(root + path.sep))
          try {
            [status, body] = [200, await readFile(file)];
            type = TYPES[path.extname(file)] ?? "application/octet-stream";
          } catch {
            /* 404 */
          }
      }
      log.push(`${req.method} ${url.pathname} ${status}`);
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    })();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** How two runs of the same computation compare. */
export interface Comparison {
  /** Paths where the structure, a string or a boolean differs, or numbers differ beyond the tolerance. */
  mismatches: string[];
  numbers: number;
  /** Paths of numbers whose bits differ (Object.is: NaN = NaN, 0 ≠ −0). */
  differentBits: string[];
  /** Largest |a − b| / max(|a|, |b|) over the numbers that differ, rounding-noise paths aside. */
  maxRelDiff: number;
}

export interface CompareOptions {
  /** Relative tolerance. */
  rtol: number;
  /** Paths whose numbers measure rounding error: compared with `noiseAtol` instead. */
  noise: RegExp;
  noiseAtol: number;
}

/**
 * Walks two JSON trees in step. Numbers agree when |a − b| ≤ rtol · max(|a|, |b|, floor), the
 * floor being 1e-3 of the largest magnitude in the enclosing array (values that cancel to ~0 are
 * compared on their array's scale); numbers under `noise` paths when |a − b| ≤ noiseAtol.
 */
export function compareJson(a: unknown, b: unknown, opts: CompareOptions): Comparison {
  const c: Comparison = { mismatches: [], numbers: 0, differentBits: [], maxRelDiff: 0 };
  const walk = (x: unknown, y: unknown, at: string, floor: number): void => {
    if (typeof x === "number" && typeof y === "number") {
      c.numbers++;
      if (Object.is(x, y)) return;
      c.differentBits.push(at);
      const diff = Math.abs(x - y);
      if (opts.noise.test(at)) {
        if (!(diff <= opts.noiseAtol)) c.mismatches.push(`${at}: ${x} vs ${y} (rounding noise)`);
        return;
      }
      const scale = Math.max(Math.abs(x), Math.abs(y));
      c.maxRelDiff = Math.max(c.maxRelDiff, Number.isNaN(diff) ? Infinity : diff / scale);
      if (!(diff <= opts.rtol * Math.max(scale, floor))) c.mismatches.push(`${at}: ${x} vs ${y}`);
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return void c.mismatches.push(`${at}: length ${x.length} vs ${y.length}`);
      const big = x.reduce((m: number, v) => (typeof v === "number" ? Math.max(m, Math.abs(v)) : m), 0);
      x.forEach((v, i) => walk(v, y[i], `${at}[${i}]`, Math.max(floor, 1e-3 * big)));
    } else if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.join() !== ky.join()) return void c.mismatches.push(`${at}: keys ${kx} vs ${ky}`);
      for (const k of kx)
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}.${k}`, floor);
    } else if (!Object.is(x, y)) c.mismatches.push(`${at}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  walk(a, b, "$", 0);
  return c;
}
