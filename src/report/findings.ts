/**
 * The report's first screen: what a reader must know before any chart, one line per finding, each
 * linking to the section that shows it — verification status, the top features and their
 * direction, the strongest interactions, where first-order Taylor fails (non-linearity),
 * constraint violations, and anything non-finite or not converged.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { escapeHtml } from "./escape.js";
import { fmtNum, fmtPct } from "./format.js";

/**
 * One finding: its tone (`bad` needs attention, `ok` is reassuring, `info` is neutral), its text
 * and the section it links to.
 *
 * @example
 * const f: Finding = { tone: "bad", topic: "verification", text: "FAILED", section: "verification" };
 */
export interface Finding {
  tone: "ok" | "bad" | "info";
  /** Short label shown in bold before the text. */
  topic: string;
  text: string;
  /** Id of the section the finding links to. */
  section: string;
}

/** First-order Taylor is called failing when it misses more than this share of the exact change. */
const TAYLOR_FAIL = 0.05;
/** Features shown per finding list. */
const TOP = 3;

function verificationFinding(r: SensitivityResult): Finding {
  const v = r.verification;
  if (!v)
    return {
      tone: "info",
      topic: "Verification",
      text: "not run (verify samples 0).",
      section: "verification",
    };
  if (v.passed)
    return {
      tone: "ok",
      topic: "Verification",
      text: `passed: derivatives agree with float64 finite differences on ${v.rows.length} rows (rtol ${v.rtol}).`,
      section: "verification",
    };
  const worst = [...v.gradients.perFeature, ...(v.hessians?.perFeature ?? [])]
    .filter((e) => !e.passed)
    .sort((a, b) => (b.maxRelError ?? Infinity) - (a.maxRelError ?? Infinity))[0];
  return {
    tone: "bad",
    topic: "Verification",
    text:
      `FAILED: do not trust these derivatives` +
      (worst ? ` (worst: ${worst.feature}, relative error ${fmtNum(worst.maxRelError, 3)}).` : "."),
    section: "verification",
  };
}

function directionText(stats: {
  mean: number | null;
  positiveShare: number | null;
  negativeShare: number | null;
}) {
  const pos = stats.positiveShare ?? 0;
  const neg = stats.negativeShare ?? 0;
  if (stats.mean === null) return "direction unknown";
  if (pos >= 0.95) return `increases the output (∂y/∂x > 0 on ${fmtPct(pos)} of rows)`;
  if (neg >= 0.95) return `decreases the output (∂y/∂x < 0 on ${fmtPct(neg)} of rows)`;
  const way = stats.mean >= 0 ? "increases on average" : "decreases on average";
  return `${way}, but the sign is mixed (> 0 on ${fmtPct(pos)}, < 0 on ${fmtPct(neg)} of rows)`;
}

function topFeatureFindings(r: SensitivityResult): Finding[] {
  const ranking = r.summary.ranking.find((e) => e.outputIndex === 0);
  if (!ranking) return [];
  const multi = r.outputs.components.length > 1;
  return ranking.byScaled.slice(0, TOP).map((f, i) => {
    const g = r.summary.gradients.find((e) => e.outputIndex === 0 && e.featureIndex === f.featureIndex);
    const dir = g ? directionText(g.stats) : "direction unknown";
    return {
      tone: "info",
      topic: `Top feature ${i + 1}`,
      text:
        `${f.feature} ${dir}; a one-σ move changes ${multi ? ranking.output : "the output"} by ` +
        `${fmtNum(f.value, 3)} on average.`,
      section: "ranking",
    };
  });
}

/** Below this bound on a pair's total interaction index (a share of Var(y)) the pair is immaterial. */
const MATERIAL_INTERACTION = 0.01;

/**
 * The strongest pairs by their bound on the total interaction index when the section has bounds:
 * the bound is a share of the output's variance, so it compares pairs whose features have
 * different units, where ν = E[(∂²y/∂xᵢ∂xⱼ)²] (the section's own order) does not. When every bound
 * is tiny the finding says so instead of calling a negligible pair "strongest".
 */
function interactionFindings(r: SensitivityResult): Finding[] {
  const inter = r.interactions;
  if (!inter) return [];
  if (inter.pairs.length === 0)
    return [
      { tone: "info", topic: "Interactions", text: "no feature pairs were scored.", section: "interactions" },
    ];
  const multi = r.outputs.components.length > 1;
  const of = (p: (typeof inter.pairs)[number]) => (multi ? ` (${p.output})` : "");
  const bounded = inter.pairs.filter((p) => typeof p.bound === "number" && Number.isFinite(p.bound));
  const byBound = [...bounded].sort((a, b) => (b.bound as number) - (a.bound as number));
  if (bounded.length === inter.pairs.length && (byBound[0].bound as number) < MATERIAL_INTERACTION) {
    const p = byBound[0];
    return [
      {
        tone: "info",
        topic: "Interactions",
        text:
          `no pair interacts materially: every pair's total interaction index is ≤ ${fmtNum(p.bound, 3)} ` +
          `of the output's variance (largest: ${p.features[0]} × ${p.features[1]}${of(p)}).`,
        section: "interactions",
      },
    ];
  }
  const top = bounded.length === inter.pairs.length ? byBound : inter.pairs;
  return top.slice(0, TOP).map((p, i) => ({
    tone: "info",
    topic: i === 0 ? "Strongest interactions" : "",
    text:
      `${p.features[0]} × ${p.features[1]}: ν = ${fmtNum(p.nu, 3)}` +
      (p.bound === null ? "" : `, total interaction index ≤ ${fmtNum(p.bound, 3)}`) +
      of(p) +
      ".",
    section: "interactions",
  }));
}

/** Share of the exact change first-order Taylor misses, per what-if scenario and output. */
function nonLinearFindings(r: SensitivityResult): Finding[] {
  if (r.whatif) {
    const misses = r.whatif.scenarios.flatMap((s) =>
      s.outputs.flatMap((o) => {
        const exact = Math.abs(o.meanExactChange ?? NaN);
        const err = o.firstOrderError.meanAbs;
        if (err === null || !(exact > 0)) return [];
        return [{ s, o, miss: err / exact, miss2: (o.secondOrderError.meanAbs ?? NaN) / exact }];
      }),
    );
    const failing = misses.filter((m) => m.miss > TAYLOR_FAIL).sort((a, b) => b.miss - a.miss);
    if (failing.length === 0)
      return [
        {
          tone: "ok",
          topic: "Non-linearity",
          text: `first-order Taylor is within ${fmtPct(TAYLOR_FAIL)} of the exact change in every what-if scenario.`,
          section: "whatif",
        },
      ];
    return failing.slice(0, TOP).map((m, i) => ({
      tone: "bad",
      topic: i === 0 ? "Non-linear (Taylor fails)" : "",
      text:
        `scenario ${m.s.name}: first-order Taylor misses ${fmtPct(m.miss)} of the exact change of ${m.o.output}` +
        (Number.isFinite(m.miss2) ? ` (second order: ${fmtPct(m.miss2)}).` : "."),
      section: "whatif",
    }));
  }
  // Without scenarios: a slope that varies over the data (std of ∂y/∂x against its mean |·|) means
  // curvature or interaction — a linear reading of that feature is wrong somewhere.
  const varying = r.summary.gradients
    .filter((g) => g.outputIndex === 0 && g.stats.std !== null && (g.stats.meanAbs ?? 0) > 0)
    .map((g) => ({ g, cv: g.stats.std! / g.stats.meanAbs! }))
    .filter((x) => x.cv > 0.1)
    .sort((a, b) => b.cv - a.cv);
  return varying.slice(0, TOP).map((x, i) => ({
    tone: "info",
    topic: i === 0 ? "Most non-linear" : "",
    text:
      `${x.g.feature}: its slope varies over the data (std of ∂y/∂x = ${fmtPct(x.cv)} of mean |∂y/∂x|), ` +
      `so a first-order reading is local (curvature or interaction).`,
    section: r.perSample ? "scatter" : "ranking",
  }));
}

function constraintFindings(r: SensitivityResult): Finding[] {
  const c = r.constraints;
  if (!c) return [];
  const bad = c.checks.filter((k) => k.violations > 0 || k.status === "violated");
  if (bad.length === 0)
    return [
      {
        tone: "ok",
        topic: "Constraints",
        text: `all ${c.checks.length} declared shape constraint(s) hold on the data rows.`,
        section: "constraints",
      },
    ];
  return bad.map((k, i) => ({
    tone: "bad",
    topic: i === 0 ? "Constraints VIOLATED" : "",
    text:
      `${k.feature} expected ${k.expect}: violated on ${fmtPct(k.share)} of rows (${k.violations})` +
      (k.worstRows[0] ? `, worst row ${k.worstRows[0].row}.` : "."),
    section: "constraints",
  }));
}

function healthFindings(r: SensitivityResult): Finding[] {
  const out: Finding[] = [];
  const nf = r.meta.nonFinite;
  const parts = [
    nf.inputRows > 0 ? `${nf.inputRows} data row(s) (${nf.inputValues} cell(s))` : "",
    nf.outputValues > 0 ? `${nf.outputValues} output value(s)` : "",
    nf.derivativeValues > 0 ? `${nf.derivativeValues} derivative value(s)` : "",
  ].filter(Boolean);
  if (parts.length > 0)
    out.push({
      tone: "bad",
      topic: "Non-finite",
      text: `NaN or ±∞ in ${parts.join(", ")}; they are left out of every statistic.`,
      section: "options",
    });
  const ig = r.attribution?.integratedGradients;
  if (ig && !ig.converged) {
    const bad = ig.trustworthy.flat().filter((t) => !t).length;
    out.push({
      tone: "bad",
      topic: "Integrated Gradients",
      text: `NOT converged: ${bad} attribution(s) are not trustworthy. ${ig.reason ?? ""}`.trim(),
      section: "attribution",
    });
  }
  if (out.length === 0)
    out.push({
      tone: "ok",
      topic: "Health",
      text: "no non-finite values" + (ig ? "; Integrated Gradients converged." : "."),
      section: ig ? "attribution" : "options",
    });
  return out;
}

/**
 * Everything the first screen says, in order.
 *
 * @example
 * findings(result).filter((f) => f.tone === "bad").map((f) => f.text);
 */
export function findings(r: SensitivityResult): Finding[] {
  return [
    verificationFinding(r),
    ...healthFindings(r),
    ...constraintFindings(r),
    ...topFeatureFindings(r),
    ...interactionFindings(r),
    ...nonLinearFindings(r),
  ];
}

/**
 * The first screen as HTML: a `<section id="findings">` with one linked line per finding.
 *
 * @example
 * findingsHtml(result); // '<section id="findings"><h2>Findings</h2><ul class="findings">…'
 */
export function findingsHtml(r: SensitivityResult): string {
  const items = findings(r)
    .map(
      (f) =>
        `<li class="finding ${f.tone}" data-section="${f.section}">` +
        (f.topic ? `<strong>${escapeHtml(f.topic)}:</strong> ` : "") +
        `${escapeHtml(f.text)} <a href="#${f.section}">→ ${f.section}</a></li>`,
    )
    .join("\n");
  return `<section id="findings"><h2>Findings</h2><ul class="findings">${items}</ul></section>`;
}
