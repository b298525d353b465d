/**
 * Writes test/fixtures/derived/flownet/: the real FlowNet model (test/fixtures/real/keras3/flownet/
 * final_model.keras, Keras 3.9.2) re-encoded the three ways Keras and TF.js write but cannot read
 * back (test/helpers/tolerantFixtures.ts says how; test/fixtures/derived/PROVENANCE.md records it).
 * Deterministic: run it again and the bytes do not change.
 *
 *   npx tsx scripts/derive-tolerant-fixtures.ts
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../src/io/index.js";
import { kerasParts, tf213Keras, tfjsPrefixed, windowsKeras } from "../test/helpers/tolerantFixtures.js";

const root = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
const source = path.join(root, "real/keras3/flownet/final_model.keras");
const out = path.join(root, "derived/flownet");
fs.mkdirSync(path.join(out, "tfjs-prefixed"), { recursive: true });

const bytes = fs.readFileSync(source);
const parts = kerasParts(bytes, "final_model.keras");
const write = (name: string, data: Uint8Array | string) => {
  fs.writeFileSync(path.join(out, name), data);
  console.log(`${name}: ${data.length} bytes`);
};
write("windows.keras", windowsKeras(parts));
write("tf213.keras", tf213Keras(parts));
const { json, shard } = tfjsPrefixed(parts, await loadModel(new Uint8Array(bytes)));
write("tfjs-prefixed/model.json", JSON.stringify(json));
write("tfjs-prefixed/group1-shard1of1.bin", shard);
