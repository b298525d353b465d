/**
 * The CLI tests' linear model, saved as a `.keras` file: a functional model with two named inputs,
 * price (1 number) and x (3 numbers), and y = price + 2·x0 + 3·x1 + 4·x2 + 0.5.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { array, Input, layers, Model, resetNames } from "../../src/index.js";
import "../../src/io/index.js";

/** Builds the model with fresh layer names and saves it to `file`. */
export async function saveLinearModel(file: string): Promise<void> {
  resetNames();
  const price = Input({ shape: [1], name: "price" });
  const x = Input({ shape: [3], name: "x" });
  const dense = new layers.Dense({ units: 1, name: "y" });
  const y = dense.apply(new layers.Concatenate({}).apply([price, x]));
  const m = new Model({ inputs: [price, x], outputs: y, name: "lin" });
  dense.setWeights([array([[1], [2], [3], [4]]), array([0.5])]);
  await m.save(file);
}

/** 20 rows of `price,a,b,c` for the linear model: smooth, distinct, no two rows alike. */
export const LINEAR_ROWS: number[][] = Array.from({ length: 20 }, (_, i) => [
  90 + i,
  Math.sin(i),
  Math.cos(i),
  (i % 5) / 10,
]);

/** Writes `rows` as `lin.csv` (header `price,a,b,c`) and the linear model as `lin.keras` into `dir`. */
export async function writeLinearFixture(dir: string, rows: number[][] = LINEAR_ROWS): Promise<void> {
  writeFileSync(join(dir, "lin.csv"), ["price,a,b,c", ...rows.map((r) => r.join(","))].join("\n") + "\n");
  await saveLinearModel(join(dir, "lin.keras"));
}
