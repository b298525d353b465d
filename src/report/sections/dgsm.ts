/** The DGSM view: Sobol' upper bounds with bootstrap intervals (report only). */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { chartDiv, empty, section, tableHtml, type Chart } from "../blocks.js";
import { dgsmSpec } from "../specs/dgsm.js";
import { dgsmTable } from "../tables.js";
import type { SectionView } from "../sectionView.js";

function dgsmSectionHtml(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Derivative-based global sensitivity measures: ν = E[(∂y/∂x)²] times the Poincaré constant of the " +
    "feature's distribution, over Var(y), bounds the total Sobol' index from above (for independent inputs). " +
    "A small bound proves a feature unimportant; a bound ≥ 1 says nothing.";
  const table = dgsmTable(r);
  if (!table) return section("dgsm", "DGSM and Sobol' bounds", lead, empty("Not computed (dgsm off)."));
  const chart: Chart = { id: "dgsm", spec: dgsmSpec(r) };
  charts.push(chart);
  return section(
    "dgsm",
    "DGSM and Sobol' bounds",
    lead,
    chartDiv(chart, "bar chart of Sobol' upper bounds with bootstrap intervals") + tableHtml(table),
  );
}

export const dgsmView: SectionView = { html: dgsmSectionHtml };
