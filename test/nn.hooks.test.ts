/**
 * nn's extension points (issue 10): first-call building (`maybeBuild`), "when built" callbacks,
 * the weight-allocation check, and `model.save` calling the writer io registers — and the rule
 * that io uses them instead of rewiring nn (no prototype or method assignment in src/io).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  initializers,
  layers,
  Model,
  resetNames,
  saveModel,
  Sequential,
  ValueError,
  type WeightRequest,
} from "../src/index.js";
import { withWeightCheck } from "../src/nn/weightCheck.js";

beforeEach(() => resetNames());

const dense = (units: number) =>
  new layers.Dense({ units, kernelInitializer: initializers.constant(0.5), biasInitializer: "zeros" });

describe("whenBuilt and maybeBuild", () => {
  it("runs a callback now on a built layer, and after the first call's build on an unbuilt one", () => {
    const seen: string[] = [];
    const model = new Sequential([dense(2)]);
    model.whenBuilt(() => seen.push(`built ${model.weights.length} weights`));
    expect(seen).toEqual([]);
    const y = model.call(array([[1, 2, 3]]));
    expect(y.toArray()).toEqual([[3, 3]]);
    expect(seen).toEqual(["built 2 weights"]);
    model.whenBuilt(() => seen.push("again"));
    expect(seen).toEqual(["built 2 weights", "again"]);
    model.call(array([[1, 2, 3]]));
    expect(seen).toHaveLength(2);
  });

  it("a callback sees the weights before the first call computes with them", () => {
    const model = new Sequential([dense(1)]);
    model.whenBuilt(() => model.setWeights([array([[1], [1]]), array([10])]));
    expect(model.call(array([[2, 3]])).toArray()).toEqual([[15]]);
  });

  it("a failed callback fails every later call too, never computing with the unintended weights", () => {
    const model = new Sequential([dense(1)]);
    model.whenBuilt(() => {
      throw new ValueError("weights do not fit");
    });
    expect(() => model.call(array([[2, 3]]))).toThrow("weights do not fit");
    expect(model.built).toBe(true);
    expect(() => model.call(array([[2, 3]]))).toThrow("weights do not fit");
  });

  it("runs callbacks after a direct build of a Sequential", () => {
    const model = new Sequential([dense(1)]);
    let calls = 0;
    model.whenBuilt(() => calls++);
    model.build([null, 4]);
    expect(calls).toBe(1);
    expect(model.buildInputShape).toEqual([null, 4]);
  });

  it("maybeBuild builds once, for the shape given, and records it", () => {
    const d = dense(3);
    d.maybeBuild([null, 5]);
    expect(d.built).toBe(true);
    expect(d.buildInputShape).toEqual([null, 5]);
    expect(d.weights.map((w) => w.shape)).toEqual([[5, 3], [3]]);
    d.maybeBuild([null, 7]);
    expect(d.weights.map((w) => w.shape)).toEqual([[5, 3], [3]]);
  });
});

describe("the weight check", () => {
  const limit = (max: number, log: WeightRequest[]) => (r: WeightRequest) => {
    log.push(r);
    if (r.shape.reduce((a, d) => a * d, 1) > max)
      throw new ValueError(`${r.layerName} (${r.className}): weight '${r.weightName}' too big`);
  };

  it("is consulted before each weight, with the layer and weight named, only inside its scope", () => {
    const log: WeightRequest[] = [];
    withWeightCheck(limit(100, log), () => dense(2).maybeBuild([null, 3]));
    expect(log.map((r) => [r.layerName, r.className, r.weightName, r.shape])).toEqual([
      ["dense", "Dense", "kernel", [3, 2]],
      ["dense", "Dense", "bias", [2]],
    ]);
    dense(2).maybeBuild([null, 3]);
    expect(log).toHaveLength(2);
  });

  it("refuses a weight before it is allocated, also for sub-layers made inside build", () => {
    const log: WeightRequest[] = [];
    const bi = new layers.Bidirectional({ layer: new layers.LSTM({ units: 4 }) });
    expect(() => withWeightCheck(limit(20, log), () => bi.maybeBuild([null, 5, 3]))).toThrow(
      /forward_lstm.*kernel' too big|lstm.*kernel' too big/,
    );
    expect(bi.built).toBe(false);
  });

  it("limitWeights applies it to a model's later build on first call", () => {
    const log: WeightRequest[] = [];
    const model = new Sequential([dense(50)]);
    model.limitWeights(limit(100, log));
    expect(() => model.call(array([[1, 2, 3]]))).toThrow(/dense \(Dense\): weight 'kernel' too big/);
    const ok = new Sequential([dense(2)]);
    ok.limitWeights(limit(100, log));
    expect(ok.call(array([[1, 2, 3]])).shape).toEqual([1, 2]);
  });
});

describe("saving", () => {
  it("model.save is nn's method writing through io's saveModel, and both give the same bytes", async () => {
    const model = new Sequential([new layers.InputLayer({ batchShape: [null, 3] }), dense(2)]);
    const viaMethod = await model.save({ bytes: true });
    const viaFunction = await saveModel(model, { bytes: true });
    expect(viaMethod.length).toBeGreaterThan(0);
    expect(viaMethod.length).toBe(viaFunction.length);
    expect(Object.prototype.hasOwnProperty.call(Model.prototype, "save")).toBe(true);
  });
});

describe("io passes options through nn's hooks instead of rewiring nn", () => {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
    });
  // An assignment to a prototype member, or to a method of a model or layer.
  const PATCH =
    /(\.prototype|\bproto)\.\w+\s*=[^=]|\b(model|layer|this)\.(build|ensureBuilt|call|save|addWeight)\s*=[^=]|Object\.(defineProperty|setPrototypeOf)\(/;

  it("no file in src/io assigns to a prototype or replaces a model's methods", () => {
    const hits = files(join(src, "io")).flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => [`${f.slice(src.length)}:${i + 1}`, line] as const)
        .filter(([, line]) => PATCH.test(line))
        .map(([where, line]) => `${where}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it("the scan finds the patches it is meant to find", () => {
    expect(PATCH.test("Model.prototype.save = async function save() {}")).toBe(true);
    expect(PATCH.test("  model.ensureBuilt = (inputs) => {")).toBe(true);
    expect(PATCH.test("  proto.addWeight = function guarded(this: Layer) {")).toBe(true);
    expect(PATCH.test("if (model.build === other) return;")).toBe(false);
  });
});
