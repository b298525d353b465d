/**
 * The field types of a saved sensitivity result that the terminal tables, HTML report and CSV
 * export read (src/sensitivity/result/schema.ts, docs/sensitivity-schema.md), as one declarative spec
 * checked by one interpreter. `resultShape.ts` checks lengths and indices; this checks that each
 * field a renderer reads is there with the right JSON type, so a hand-edited result is a data
 * error naming the path instead of a TypeError deep inside a renderer.
 */
import { ResultShapeError } from "./resultShapeError.js";

/** A field's expected JSON type; `null` allowed only where the schema allows it. */
type Spec =
  | "string"
  | "number" // number or null (JsonNumber)
  | "index" // an integer (featureIndex, outputIndex: their range is checked in resultShape.ts)
  | "numbers" // array of number or null
  | "strings"
  | "any"
  | { nullable: Spec }
  | { list: Spec }
  | { fields: Record<string, Spec> };

const nullable = (s: Spec): Spec => ({ nullable: s });
const list = (s: Spec): Spec => ({ list: s });
const fields = (f: Record<string, Spec>): Spec => ({ fields: f });

const what = (v: unknown) =>
  v === undefined
    ? "nothing"
    : v === null
      ? "null"
      : Array.isArray(v)
        ? "an array"
        : typeof v === "string"
          ? JSON.stringify(v)
          : typeof v;
const isNum = (v: unknown) => v === null || typeof v === "number";

const STATS = fields({
  mean: "number",
  meanAbs: "number",
  rms: "number",
  std: "number",
  quantiles: "numbers",
});
const PRICE_STATS = fields({ output: "string", price: "string", stats: STATS });
const ERROR_STATS = fields({ mean: "number", meanAbs: "number", rms: "number", maxAbs: "number" });
const VERIFY_BLOCK = fields({
  perInput: list(fields({ input: "string" })),
  perFeature: list(
    fields({ feature: "string", input: "string", maxAbsError: "number", maxRelError: "number" }),
  ),
});

/** What the renderers read, section by section (the rest of the result is not rendered). */
const RESULT: Spec = fields({
  inputs: fields({ items: list(fields({ name: "string", shape: "numbers" })) }),
  summary: fields({
    quantileLevels: "numbers",
    values: list(fields({ output: "string", stats: STATS })),
    gradients: list(fields({ output: "string", feature: "string", stats: STATS })),
    ranking: list(
      fields({
        output: "string",
        ...Object.fromEntries(
          ["byScaled", "byMeanAbs", "byRms"].map((k) => [
            k,
            list(fields({ feature: "string", featureIndex: "index", value: "number" })),
          ]),
        ),
      }),
    ),
    elasticities: nullable(
      fields({ entries: list(fields({ output: "string", feature: "string", stats: STATS })) }),
    ),
    finance: nullable(
      fields({
        priceFeatures: "strings",
        delta: list(PRICE_STATS),
        gamma: list(PRICE_STATS),
        crossGamma: list(fields({ output: "string", price: "string", feature: "string", stats: STATS })),
      }),
    ),
  }),
  dgsm: nullable(
    fields({
      distributions: list(fields({ feature: "string" })),
      entries: list(
        fields({ output: "string", feature: "string", nu: "number", sobolTotalUpperBound: "number" }),
      ),
    }),
  ),
  verification: nullable(
    fields({ rows: "numbers", rtol: "number", gradients: VERIFY_BLOCK, hessians: nullable(VERIFY_BLOCK) }),
  ),
  whatif: nullable(
    fields({
      scenarios: list(
        fields({
          name: "string",
          outputs: list(
            fields({
              output: "string",
              meanBaseline: "number",
              meanExactChange: "number",
              meanFirstOrderChange: "number",
              meanSecondOrderChange: "number",
              firstOrderError: ERROR_STATS,
              secondOrderError: ERROR_STATS,
            }),
          ),
        }),
      ),
    }),
  ),
  interactions: nullable(
    fields({
      integratedHessians: nullable(fields({ baseline: fields({ kind: "string", features: "numbers" }) })),
    }),
  ),
  effects: nullable(fields({ features: list(fields({ iceRows: "numbers", ale: "numbers" })) })),
  meta: fields({ options: fields({}), nonFinite: fields({}), timingsMs: fields({ total: "number" }) }),
  constraints: nullable(fields({ checks: list(fields({ derivative: "strings", status: "string" })) })),
});

function check(spec: Spec, v: unknown, path: string): void {
  const fail = (expected: string) => {
    throw new ResultShapeError(path, `expected ${expected}, got ${what(v)}`);
  };
  if (spec === "any") return;
  if (spec === "index") {
    if (!Number.isInteger(v)) fail("an integer index");
  } else if (spec === "string") {
    if (typeof v !== "string") fail("a string");
  } else if (spec === "number") {
    if (!isNum(v)) fail("a number or null");
  } else if (spec === "numbers" || spec === "strings") {
    const ok = spec === "numbers" ? isNum : (x: unknown) => typeof x === "string";
    if (!Array.isArray(v)) fail(spec === "numbers" ? "an array of numbers" : "an array of strings");
    (v as unknown[]).forEach((x, i) => {
      if (!ok(x))
        throw new ResultShapeError(
          `${path}[${i}]`,
          `expected ${spec === "numbers" ? "a number or null" : "a string"}, got ${what(x)}`,
        );
    });
  } else if ("nullable" in spec) {
    if (v !== null && v !== undefined) check(spec.nullable, v, path);
  } else if ("list" in spec) {
    if (!Array.isArray(v)) fail("an array");
    (v as unknown[]).forEach((x, i) => check(spec.list, x, `${path}[${i}]`));
  } else {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail("an object");
    const o = v as Record<string, unknown>;
    for (const [key, s] of Object.entries(spec.fields))
      check(s, Object.hasOwn(o, key) ? o[key] : undefined, path ? `${path}.${key}` : key);
  }
}

/**
 * Throws a `ResultShapeError` at the first field a renderer reads that is missing or of the wrong type.
 *
 * @example
 * checkResultFields(JSON.parse(text)); // throws "whatif.scenarios[0].outputs: expected an array, got \"x\""
 */
export function checkResultFields(result: unknown): void {
  check(RESULT, result, "");
}
