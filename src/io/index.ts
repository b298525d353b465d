/**
 * Model files: load Keras (1.x–3.x) and TensorFlow.js models, save Keras 3 `.keras` files, convert
 * live TF.js models, and describe a loaded model. Nothing read from a file is ever executed.
 *
 * @example
 * import { loadModel, registerLayer } from "gradlens";
 * const model = await loadModel("model.keras");
 */
export { loadModel, type LoadOptions, type ModelFileInfo, type ModelFileFormat } from "./load.js";
export {
  registerLayer,
  unregisterLayer,
  registeredLayerClasses,
  type LayerBuilder,
  type LayerBuildContext,
} from "./build/registry.js";
export type { ModelSource, FileMap } from "./source.js";
export { ModelFormatError, UnsupportedLayerError } from "./errors.js";
export { saveModel, saveKerasBytes, SAVED_KERAS_VERSION } from "./save/save.js";
export { serializeModel, serializeLayer } from "./save/serialize.js";
export { fromTfjs, type TfjsLayersModelLike } from "./formats/fromTfjs.js";
export { inspectModel } from "./inspect.js";
