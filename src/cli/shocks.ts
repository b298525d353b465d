/**
 * `--shock` values → what-if scenarios. One `--shock` is one scenario; it may shock several
 * things at once, separated by commas:
 *
 *   --shock "price:+1%"                 every component of input 'price' up 1% (relative)
 *   --shock "features[3]:-0.5"          component 3 of input 'features' down 0.5 (absolute)
 *   --shock "volatility:+0.02"          the feature named 'volatility' (a column name) up 0.02
 *   --shock "price:-5%,volatility:+0.1" both together
 *
 * The scenario is named by its text.
 */
import type { Scenario, ShockSpec } from "../sensitivity/methods/whatif.js";
import { didYouMean, listNames } from "./data/source.js";
import { usageError } from "./errors.js";

/** An input as far as shocks need it: its name, size per row and feature names. */
export interface ShockableInput {
  name: string;
  size: number;
  featureNames: string[];
}

interface Change {
  relative: number;
  absolute: number;
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseChange(text: string, item: string, command: string): Change {
  const t = text.trim();
  const pct = t.endsWith("%");
  const num = pct ? t.slice(0, -1).trim() : t;
  if (!NUM.test(num))
    throw usageError(
      `--shock '${item}': '${t}' is not a change; write +1% (relative) or -0.5 (absolute, in the input's units)`,
      command,
    );
  const v = Number(num);
  // 1e400 matches the pattern but is Infinity: a shock must be a finite size.
  if (!Number.isFinite(v)) throw usageError(`--shock '${item}': '${t}' is not a finite change`, command);
  return pct ? { relative: v / 100, absolute: 0 } : { relative: 0, absolute: v };
}

/** Which input and components a shock target names. */
function resolveTarget(
  target: string,
  inputs: readonly ShockableInput[],
  item: string,
  command: string,
): { input: ShockableInput; index: number | null } {
  const whole = inputs.find((i) => i.name === target);
  if (whole) return { input: whole, index: null };
  const m = /^(.+)\[(\d+)\]$/.exec(target);
  if (m) {
    const input = inputs.find((i) => i.name === m[1]);
    if (input) {
      const index = Number(m[2]);
      if (index >= input.size)
        throw usageError(
          `--shock '${item}': input '${input.name}' has ${input.size} components per row (0…${input.size - 1})`,
          command,
        );
      return { input, index };
    }
  }
  for (const input of inputs) {
    const index = input.featureNames.indexOf(target);
    if (index >= 0) return { input, index };
  }
  const names = [...inputs.map((i) => i.name), ...inputs.flatMap((i) => i.featureNames)];
  throw usageError(
    `--shock '${item}': '${target}' is neither an input nor a feature (inputs and features: ${listNames([...new Set(names)], 16)})${didYouMean(target, names)}`,
    command,
  );
}

/**
 * One scenario from one `--shock` value.
 *
 * @example
 * parseShock("price:+1%,features[3]:-0.5", inputs, "analyze");
 * // { name: "price:+1%,features[3]:-0.5", shock: { price: { relative: 0.01 }, features: { index: [3], relative: [0], absolute: [-0.5] } } }
 */
export function parseShock(text: string, inputs: readonly ShockableInput[], command: string): Scenario {
  const perInput = new Map<string, { input: ShockableInput; all: Change | null; at: Map<number, Change> }>();
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === ""))
    throw usageError(`--shock '${text}': empty item (items are separated by commas)`, command);
  for (const item of items) {
    const colon = item.lastIndexOf(":");
    if (colon <= 0)
      throw usageError(
        `--shock '${item}': expected TARGET:CHANGE, e.g. price:+1% or features[3]:-0.5`,
        command,
      );
    const { input, index } = resolveTarget(item.slice(0, colon).trim(), inputs, item, command);
    const change = parseChange(item.slice(colon + 1), item, command);
    const entry = perInput.get(input.name) ?? { input, all: null, at: new Map<number, Change>() };
    perInput.set(input.name, entry);
    // One target twice (by one name or two) would silently add the changes. An input and one of
    // its components may be shocked together (x:+1%,x[1]:+1): that is two targets.
    const twice = index === null ? entry.all !== null : entry.at.has(index);
    if (twice)
      throw usageError(
        `--shock '${text}': ${index === null ? `input '${input.name}'` : `'${input.featureNames[index] ?? `${input.name}[${index}]`}'`} is shocked twice in one scenario; give each target once`,
        command,
      );
    const add = (a: Change | null | undefined): Change => ({
      relative: (a?.relative ?? 0) + change.relative,
      absolute: (a?.absolute ?? 0) + change.absolute,
    });
    if (index === null) entry.all = add(entry.all);
    else entry.at.set(index, add(entry.at.get(index)));
  }
  const shock: Record<string, ShockSpec> = {};
  for (const [name, { input, all, at }] of perInput) {
    if (at.size === 0 && all) {
      shock[name] = {
        ...(all.relative !== 0 ? { relative: all.relative } : {}),
        ...(all.absolute !== 0 || all.relative === 0 ? { absolute: all.absolute } : {}),
      };
      continue;
    }
    const index = all
      ? Array.from({ length: input.size }, (_, i) => i)
      : [...at.keys()].sort((a, b) => a - b);
    const get = (i: number, k: keyof Change) => (all?.[k] ?? 0) + (at.get(i)?.[k] ?? 0);
    shock[name] = {
      index,
      relative: index.map((i) => get(i, "relative")),
      absolute: index.map((i) => get(i, "absolute")),
    };
  }
  return { name: text, shock };
}
