/**
 * The report's view of the issue-13 sections (`interactions`, `effects`, `sobol`, `constraints`),
 * read as optional parts of the result. Their JSON shapes are fixed by docs/sensitivity-schema.md;
 * they are declared here, loosely, so the report renders them when a result has them and renders
 * nothing when it does not (older results, sections off), whatever the result type declares.
 */
import type { SensitivityResult } from "../sensitivity/schema.js";

type Num = number | null;

/** One ranked feature pair of `result.interactions` (crossed-derivative measure ν and its bound). */
export interface InteractionPairView {
  output: string;
  features: [string, string];
  nu: Num;
  bound: Num;
  ci: [Num, Num] | Num[] | null;
}

/** One feature's effect curves of `result.effects`: ICE and derivative ICE per sampled row over `grid`. */
export interface EffectFeatureView {
  output: string;
  feature: string;
  grid: Num[];
  pdp: Num[];
  ale: Num[] | null;
  ice: Num[][];
  dice: Num[][];
}

/** One first-order / total Sobol' index pair of `result.sobol`. */
export interface SobolIndexView {
  output: string;
  feature: string;
  first: Num;
  total: Num;
  firstCi: Num[] | null;
  totalCi: Num[] | null;
}

/** One declared shape constraint of `result.constraints`. */
export interface ConstraintCheckView {
  feature: string;
  expect: string;
  share: Num;
  violations: number;
  output?: string;
  rows?: number;
  status?: string;
  magnitude?: Num;
  worstRows: { row: number; value?: Num; derivative?: Num }[];
}

/**
 * The optional sections of a result, each null when absent.
 *
 * @example
 * const { interactions } = newSections(result);
 * interactions?.pairs[0].features; // the strongest pair
 */
export interface NewSectionsView {
  interactions: { pairs: InteractionPairView[] } | null;
  effects: { features: EffectFeatureView[] } | null;
  sobol: { indices: SobolIndexView[]; evaluations?: number } | null;
  constraints: { checks: ConstraintCheckView[] } | null;
}

const arrayAt = (o: unknown, key: string): unknown[] | null => {
  if (o === null || typeof o !== "object") return null;
  const v = (o as Record<string, unknown>)[key];
  return Array.isArray(v) ? v : null;
};

/**
 * The issue-13 sections of `r`, or null for each one the result does not hold.
 *
 * @example
 * newSections(result).constraints?.checks.filter((c) => c.violations > 0);
 */
export function newSections(r: SensitivityResult): NewSectionsView {
  const o = r as unknown as Record<string, unknown>;
  const part = <T>(key: string, list: string): T | null => (arrayAt(o[key], list) ? (o[key] as T) : null);
  return {
    interactions: part("interactions", "pairs"),
    effects: part("effects", "features"),
    sobol: part("sobol", "indices"),
    constraints: part("constraints", "checks"),
  };
}
