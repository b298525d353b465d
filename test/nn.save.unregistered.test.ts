/**
 * `model.save` lives in nn and writes through the writer io registers. Without io loaded (this file
 * imports nn alone, never the package barrel) it refuses with a typed error saying what is missing,
 * rather than failing on an undefined method.
 */
import { expect, it } from "vitest";
import { GradlensError } from "../src/core/errors.js";
import { Model } from "../src/nn/model.js";

it("model.save without a registered writer rejects with a GradlensError naming saveModel", async () => {
  const model = new Model({ name: "bare" });
  const e = await model.save({ bytes: true }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GradlensError);
  expect((e as Error).message).toMatch(/model\.save: no model writer is registered.*saveModel/);
});
