/**
 * The view of each section of the result, in the order they are shown (the result's order).
 * Adding a section: its view module beside these and one line here.
 */
import type { SectionKey } from "../../sensitivity/section.js";
import type { SectionView } from "../sectionView.js";
import { attributionView } from "./attribution.js";
import { constraintsView } from "./constraints.js";
import { effectsView } from "./effects.js";
import { interactionsView } from "./interactions.js";
import { sobolView } from "./sobol.js";
import { dgsmView } from "./dgsm.js";
import { summaryView } from "./summary.js";
import { verificationView } from "./verification.js";
import { whatifView } from "./whatif.js";

/** The issue-13 sections, keys of the result once their analyses are merged (views render nothing when absent). */
type OptionalKey = "interactions" | "effects" | "sobol" | "constraints";

export const SECTION_VIEWS: readonly (readonly [SectionKey | OptionalKey, SectionView])[] = [
  ["summary", summaryView],
  ["attribution", attributionView],
  ["dgsm", dgsmView],
  ["interactions", interactionsView],
  ["effects", effectsView],
  ["sobol", sobolView],
  ["constraints", constraintsView],
  ["verification", verificationView],
  ["whatif", whatifView],
];
