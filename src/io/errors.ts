import { GradlensError } from "../core/errors.js";

/**
 * A model or data file is not what it claims to be, or is damaged: says which file, what was
 * expected and where reading broke.
 *
 * @example
 * await loadModel(new Uint8Array([1, 2, 3])); // rejects: ModelFormatError: <bytes>: not a model file …
 */
export class ModelFormatError extends GradlensError {
  override name = "ModelFormatError";
}

/**
 * A layer class the registry does not know; names the class, the layer, the file and the fix.
 *
 * @example
 * try {
 *   await loadModel("model.keras");
 * } catch (e) {
 *   // e.g. a custom Keras layer: implement it as a gradlens Layer, registerLayer() it, load again
 *   if (e instanceof UnsupportedLayerError) console.error(e.message);
 *   else throw e;
 * }
 */
export class UnsupportedLayerError extends GradlensError {
  override name = "UnsupportedLayerError";
}
