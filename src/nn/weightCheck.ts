/**
 * The weight-allocation hook of `nn`: a check that `Layer.addWeight` consults before allocating a
 * weight's numbers. Loading a model from a file uses it to refuse absurd sizes from a corrupt or
 * hostile config before they exhaust memory (`loadModel`'s `maxParams`); code that builds layers
 * itself never sets one.
 *
 * The check is scoped (like Keras's name scopes), not attached to a layer, because layers made
 * inside another layer's `build` (a Bidirectional's forward and backward copies) must be checked
 * too and cannot be reached beforehand.
 */

/**
 * One weight about to be allocated: the layer asking and the weight's name and shape.
 *
 * @example const request: WeightRequest = { layerName: "dense", className: "Dense", weightName: "kernel", shape: [4, 2] };
 */
export interface WeightRequest {
  layerName: string;
  className: string;
  weightName: string;
  shape: readonly number[];
}

/**
 * Refuses a weight by throwing (a typed error naming the layer and weight); returns to allow it.
 *
 * @example const check: WeightCheck = (r) => { if (r.shape.includes(0)) throw new ValueError(`${r.layerName}: empty weight`); };
 */
export type WeightCheck = (request: WeightRequest) => void;

let active: WeightCheck | null = null;

/**
 * Runs `fn` (synchronous) with `check` consulted before every weight any layer allocates. An inner
 * scope inside an active one keeps the outer check, so nested models are counted once.
 *
 * @example withWeightCheck(check, () => model.maybeBuild([null, 4]));
 */
export function withWeightCheck<T>(check: WeightCheck | null, fn: () => T): T {
  if (check === null || active !== null) return fn();
  active = check;
  try {
    return fn();
  } finally {
    active = null;
  }
}

/**
 * Called by `Layer.addWeight` before allocating: throws what the active check throws.
 *
 * @example checkWeight({ layerName: "dense", className: "Dense", weightName: "kernel", shape: [4, 2] });
 */
export function checkWeight(request: WeightRequest): void {
  if (active !== null) active(request);
}
