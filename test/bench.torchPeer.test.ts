/**
 * The PyTorch bench peer's protocol: reply parsing and result-file splitting always; one tiny
 * round trip through the real Python script (W2's Jacobian on 3 rows, checked against gradlens)
 * only when a Python with torch is found. No timings are asserted.
 */
import { describe, expect, it } from "vitest";
import { relError } from "../bench/measure.js";
import { gradlens } from "../bench/peers/gradlens.js";
import { findTorchPython, parseReply, splitBlocks, torch64 } from "../bench/peers/torch.js";
import { makeWorkloadData, WORKLOADS } from "../bench/workloads.js";

describe("torch peer protocol", () => {
  it("parses replies and rejects what is not one", () => {
    expect(parseReply('{"ok": true, "wall_ms": 1.5}')).toEqual({ ok: true, wall_ms: 1.5 });
    expect(parseReply('{"ok": false, "error": "ValueError: x"}').error).toBe("ValueError: x");
    expect(() => parseReply("Traceback (most recent call last):")).toThrow(/not JSON/);
    expect(() => parseReply('{"wall_ms": 1}')).toThrow(/boolean 'ok'/);
    expect(() => parseReply("[1, 2]")).toThrow(/boolean 'ok'/);
  });

  it("splits the float64 result file into blocks and refuses a wrong size", () => {
    const all = new Float64Array([1, 2, 3, -0, NaN]);
    const bytes = new Uint8Array(all.buffer);
    const [a, b] = splitBlocks(bytes, [2, 3]);
    expect(Array.from(a)).toEqual([1, 2]);
    expect(Object.is(b[1], -0)).toBe(true);
    expect(b[2]).toBeNaN();
    expect(() => splitBlocks(bytes, [2, 2])).toThrow(/40 bytes, expected 32/);
  });

  const found = findTorchPython();
  it.skipIf("reason" in found)("computes W2's Jacobian like gradlens (skipped without torch)", async () => {
    const spec = WORKLOADS.find((w) => w.id === "W2")!;
    const data = makeWorkloadData(spec, 3);
    await torch64.init();
    try {
      const runner = await torch64.methods("jacobian")[0].prepare(data);
      const [J] = await runner.run();
      expect(runner.selfTimed?.()?.wallMs).toBeGreaterThan(0);
      runner.dispose();
      const ref = await (await gradlens.methods("jacobian")[0].prepare(data)).run();
      expect(J.length).toBe(3 * 8 * 16);
      expect(relError(J, ref[0])).toBeLessThan(1e-12);
    } finally {
      torch64.close?.();
    }
  });
});
