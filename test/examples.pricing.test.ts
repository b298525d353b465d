import { describe, expect, it } from "vitest";
import { runDerivativesDemo } from "../examples/pricing/derivativesDemo.js";

describe("examples/pricing derivatives demo", () => {
  it("shows the broadcasting warning and matches closed forms and finite differences", () => {
    const r = runDerivativesDemo({ rows: 12 });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/\(12, 12\).*declares \(None, 1\)/);
    expect(r.closedFormError.dPrice).toBeLessThan(1e-14);
    expect(r.closedFormError.dFeatures).toBeLessThan(1e-14);
    expect(r.secondOrderError).toBeLessThan(1e-14);
    expect(r.finiteDifferenceError.seed).toBeLessThan(1e-7);
    expect(r.finiteDifferenceError.mlp).toBeLessThan(1e-6);
    expect(r.lines.join("\n")).toContain("d/dprice");
  });
});
