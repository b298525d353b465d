import { GradlensError } from "../core/errors.js";

/**
 * A model or data file is not what it claims to be, or is damaged: says which file, what was
 * expected and where reading broke.
 */
export class ModelFormatError extends GradlensError {
  override name = "ModelFormatError";
}

/** A layer class the registry does not know; names the class, the layer, the file and the fix. */
export class UnsupportedLayerError extends GradlensError {
  override name = "UnsupportedLayerError";
}
