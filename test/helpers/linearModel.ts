/**
 * The CLI tests' linear model, saved as a `.keras` file: a functional model with two named inputs,
 * price (1 number) and x (3 numbers), and y = price + 2·x0 + 3·x1 + 4·x2 + 0.5.
 */
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
