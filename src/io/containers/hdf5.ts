/**
 * HDF5 for Keras files, from and to bytes (no file system, same in Node and browsers).
 *
 * - `openHdf5(bytes, label)` reads: groups (`keys`, `get`, `group`, `dataset`, `has`), attributes
 *   (strings normalised whether fixed- or variable-length), datasets (`shape`, `dtype`, `read()`
 *   into a row-major typed array). Every failure is a `ModelFormatError` that starts with `label`
 *   and names the path inside the file. Backed by jsfive behind structural checks; see
 *   docs/io-hdf5-choice.md for why and for what was measured.
 * - `writeHdf5(tree)` writes groups, float32/float64/int32 datasets and string attributes in the
 *   plain layout h5py uses by default (enough for Keras 3's `model.weights.h5`).
 *
 * @example
 * const weights = openHdf5(unzipped["model.weights.h5"], "model.keras/model.weights.h5");
 * const kernel = weights.dataset("layers/dense/vars/0"); // shape [in, out], dtype "float32"
 */
export { openHdf5, H5Group, H5Dataset, type H5AttrValue } from "./hdf5/read.js";
export { writeHdf5, type H5WriteGroup, type H5WriteDataset, type H5WriteAttr } from "./hdf5/write.js";
