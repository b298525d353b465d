/** The what-if views: scenarios, exact against first- and second-order Taylor. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { empty, section, tableHtml } from "../blocks.js";
import { whatifTable } from "../tables.js";
import { renderTable } from "../text.js";
import type { SectionView } from "../sectionView.js";

function whatifSection(r: SensitivityResult): string {
  const lead =
    "Scenarios: the exact change of the output when inputs are shocked, against its first- and second-order " +
    "Taylor predictions from the derivatives. Large first-order errors mean the shock is too big for a linear reading.";
  if (!r.whatif)
    return section("whatif", "What-if scenarios", lead, empty("No scenarios were given (--shock)."));
  return section("whatif", "What-if scenarios", lead, tableHtml(whatifTable(r.whatif)));
}

export const whatifView: SectionView = {
  terminal: (r) => (r.whatif ? [renderTable(whatifTable(r.whatif))] : []),
  html: whatifSection,
};
