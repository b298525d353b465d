/**
 * The issue-13 sections (interactions, effects, sobol, constraints) crafted onto a real result, in
 * the JSON shapes fixed by the issue, so the report's blocks and first screen can be tested before
 * (and independently of) the analyses that fill them. Numbers are chosen, not computed.
 */
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

/** `r` with the four optional sections added for its first output and its features. */
export function withNewSections(r: SensitivityResult): SensitivityResult {
  const out = r.outputs.components[0].name;
  const f = r.inputs.features.map((x) => x.name);
  const grid = [-2, -1, 0, 1, 2];
  const curve = (a: number, b: number) => grid.map((x) => a + b * x + 0.3 * x * x);
  const effect = (feature: string, slope: number) => ({
    output: out,
    feature,
    grid,
    pdp: curve(0, slope),
    ale: curve(-0.6, slope),
    ice: [0.5, -0.5, 1].map((a) => curve(a, slope)),
    dice: [0.5, -0.5, 1].map((a) => grid.map((x) => slope + 0.6 * x + a * 0.1)),
  });
  return {
    ...r,
    interactions: {
      pairs: [
        { output: out, features: [f[0], f[2]], nu: 4.5, bound: 0.42, ci: [3.9, 5.1] },
        { output: out, features: [f[1], f[3]], nu: 0.8, bound: 0.07, ci: [0.6, 1.0] },
        { output: out, features: [f[0], f[1]], nu: 0.01, bound: 0.001, ci: [0.0, 0.02] },
      ],
    },
    effects: { features: [effect(f[0], 2), effect(f[2], -1)] },
    sobol: {
      evaluations: 6144,
      indices: f.map((feature, j) => ({
        output: out,
        feature,
        first: 0.3 / (j + 1),
        total: 0.4 / (j + 1),
        firstCi: [0.25 / (j + 1), 0.35 / (j + 1)],
        totalCi: [0.35 / (j + 1), 0.45 / (j + 1)],
      })),
    },
    constraints: {
      checks: [
        { feature: f[0], expect: "increasing", share: 0, violations: 0, worstRows: [] },
        {
          feature: f[2],
          expect: "convex",
          share: 0.125,
          violations: 30,
          worstRows: [
            { row: 17, value: 101.5, derivative: -0.8 },
            { row: 3, value: 99.1, derivative: -0.2 },
          ],
        },
      ],
    },
  } as SensitivityResult;
}
