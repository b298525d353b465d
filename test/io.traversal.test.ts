/**
 * Nothing outside a model's folder, ever (issue 9): a TF.js model.json whose shard paths try to
 * leave its folder — literally, percent-encoded (`%2e%2e`, `%2f`, `%5c`), double-encoded,
 * absolute, or as a URL — is refused whether the model is given as a path, a `file:` URL or an
 * `http:` URL. The http cases run against a real server on 127.0.0.1 that logs every request:
 * nothing outside the model's folder may be requested. A file with the right bytes waits outside
 * the folder, so a read that escaped would load instead of failing.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, ModelFormatError } from "../src/io/index.js";
import { relativeSegments } from "../src/io/source.js";
import { fixturePath } from "./helpers/realModels.js";

const manifest = JSON.parse(
  fs.readFileSync(fixturePath("tfjs-examples/abalone-node/model.json"), "utf8"),
) as {
  weightsManifest: { paths: string[] }[];
};
const shard = fs.readFileSync(fixturePath("tfjs-examples/abalone-node/weights.bin"));

let root: string;
let server: http.Server;
let origin: string;
const requests: string[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-traversal-"));
  for (const dir of ["model/sub", "outside", "model%2e%2e"])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(root, "outside/secret.bin"), shard);
  fs.writeFileSync(path.join(root, "model/weights.bin"), shard);
  fs.writeFileSync(path.join(root, "model/sub/w.bin"), shard);
  fs.writeFileSync(path.join(root, "model/my weights.bin"), shard);
  fs.writeFileSync(path.join(root, "model/big.bin"), Buffer.concat([shard, Buffer.alloc(4 * 1024 ** 2)]));
  server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/model/endless.bin") {
      // No content-length, and more than any manifest needs: only a bounded read survives it.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 ** 2 && res.write(chunk)) sent += chunk.length;
        if (sent >= 64 * 1024 ** 2) res.end();
      };
      res.on("drain", pump);
      res.on("close", () => res.off("drain", pump));
      pump();
      return;
    }
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(fs.readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  fs.rmSync(root, { recursive: true, force: true });
});

/** Writes model/model.json with one shard path; returns the three ways to name it. */
function modelWith(shardPath: string): { label: string; source: string | URL }[] {
  manifest.weightsManifest[0].paths = [shardPath];
  const file = path.join(root, "model/model.json");
  fs.writeFileSync(file, JSON.stringify(manifest));
  return [
    { label: "path", source: file },
    { label: "file: URL", source: pathToFileURL(file) },
    { label: "http: URL", source: `${origin}/model/model.json` },
  ];
}

const ESCAPES = [
  "%2e%2e/outside/secret.bin",
  "%2E%2E/outside/secret.bin",
  ".%2e/outside/secret.bin",
  "%2e./outside/secret.bin",
  "..%2foutside%2fsecret.bin",
  "%2e%2e%2foutside%2fsecret.bin",
  "%2e%2e%5coutside%5csecret.bin",
  "..\\outside\\secret.bin",
  "sub/../../outside/secret.bin",
  "sub/%2e%2e/%2e%2e/outside/secret.bin",
  "%252e%252e/outside/secret.bin",
  "../outside/secret.bin",
  "/outside/secret.bin",
  "%2foutside/secret.bin",
  "//127.0.0.1/outside/secret.bin",
  "PLACEHOLDER_ORIGIN/outside/secret.bin",
  "file:///etc/passwd",
  "C:/outside/secret.bin",
  "%00secret.bin",
  "%zz.bin",
  ".",
  "%2e",
];

describe("TF.js shard paths that leave the model's folder", () => {
  it("are refused for paths, file: URLs and http: URLs, and nothing outside is requested", async () => {
    for (const raw of ESCAPES) {
      const bad = raw.replace("PLACEHOLDER_ORIGIN", origin);
      for (const { label, source } of modelWith(bad)) {
        requests.length = 0;
        const e = await loadModel(source).then(
          () => null,
          (err: unknown) => err,
        );
        expect(e, `${bad} as ${label}`).toBeInstanceOf(ModelFormatError);
        expect((e as Error).message, `${bad} as ${label}`).toMatch(/refusing to read it/);
        expect(
          requests.filter((r) => !r.startsWith("/model/")),
          `${bad} as ${label}`,
        ).toEqual([]);
      }
    }
  });

  it("still load when they stay inside: nested, './', and percent-encoded names", async () => {
    for (const good of ["weights.bin", "./weights.bin", "sub/w.bin", "sub/./w.bin", "my%20weights.bin"]) {
      for (const { label, source } of modelWith(good)) {
        requests.length = 0;
        const model = await loadModel(source);
        expect(model.countParams(), `${good} as ${label}`).toBeGreaterThan(0);
        expect(
          requests.every((r) => r.startsWith("/model/")),
          `${good} as ${label}`,
        ).toBe(true);
      }
    }
    expect(requests).toEqual(["/model/model.json", "/model/my%20weights.bin"]);
  });
});

describe("TF.js shards larger than the manifest says", () => {
  it("are refused before they are read: by size on disk, by content-length, or mid-stream", async () => {
    const cases: [string, RegExp][] = [
      [
        "big.bin",
        /big\.bin: \d+ bytes is more than the limit of \d+ \(what the manifest says the weight file holds\)/,
      ],
      ["endless.bin", /endless\.bin: \d+ bytes is more than the limit of \d+ \(what the manifest says/],
    ];
    for (const [name, message] of cases)
      for (const { label, source } of modelWith(name)) {
        if (name === "endless.bin" && label !== "http: URL") continue;
        const e = await loadModel(source).then(
          () => null,
          (err: unknown) => err,
        );
        expect(e, `${name} as ${label}`).toBeInstanceOf(ModelFormatError);
        expect((e as Error).message, `${name} as ${label}`).toMatch(message);
      }
  });
});

describe("relativeSegments", () => {
  it("decodes once, drops '.' segments and refuses what could escape", () => {
    expect(relativeSegments("./a/./b%20c.bin", "m")).toEqual(["a", "b c.bin"]);
    expect(() => relativeSegments("%2e%2e/x", "m.json")).toThrow(
      /m\.json: the weight file path "%2e%2e\/x" is not a plain relative name .* refusing to read it/,
    );
    expect(() => relativeSegments("%252e%252e/x", "m")).toThrow(/percent-encoded twice/);
  });
});
