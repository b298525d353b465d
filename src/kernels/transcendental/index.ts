/**
 * Our own float64 transcendentals (fdlibm.ts), one shared instance: scalar functions and array
 * kernels `fInto(x, out, start, end)` (`out[i] = f(x[i])`), bit-identical on every engine and to
 * each other. `out` may be `x` (in place) and may be a Float32Array (rounded once more on store).
 */
import { makeTranscendentals } from "./fdlibm.js";

export { makeTranscendentals, type FloatArray, type IntoKernel, type Transcendentals } from "./fdlibm.js";

const T = makeTranscendentals();

/** Scalar e^x (fdlibm e_exp.c), ≤ 1 ulp. @example exp(1); // 2.7182818284590455 (as V8's Math.exp: fdlibm, 0.7 ulp from e) */
export const exp = T.exp;
/** Scalar e^x − 1 (fdlibm s_expm1.c). @example expm1(1e-10); // 1.00000000005e-10 */
export const expm1 = T.expm1;
/** Scalar natural log (fdlibm e_log.c). @example log(Math.E); // 1 */
export const log = T.log;
/** Scalar log(1+x) (fdlibm s_log1p.c). @example log1p(1e-10); // 9.999999999500001e-11 */
export const log1p = T.log1p;
/** Scalar tanh (odd polynomial below 0.55, 1 − 2E/(1 + E) with E = e^{−2|x|} above; ≤ 1.43 ulp). @example tanh(0.5); // 0.46211715726000974 */
export const tanh = T.tanh;
/** Scalar logistic sigmoid 1/(1+e^{−x}). @example sigmoid(0); // 0.5 */
export const sigmoid = T.sigmoid;
/** Scalar erf (fdlibm s_erf.c over our exp). @example erf(1); // 0.8427007929497149 */
export const erf = T.erf;

/** out[i] = e^x[i] for start ≤ i < end. @example expInto(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const expInto = T.expInto;
/** out[i] = e^x[i] − 1. @example expm1Into(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const expm1Into = T.expm1Into;
/** out[i] = ln x[i]. @example logInto(new Float64Array([1, 2]), new Float64Array(2), 0, 2); */
export const logInto = T.logInto;
/** out[i] = ln(1 + x[i]). @example log1pInto(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const log1pInto = T.log1pInto;
/** out[i] = tanh x[i]. @example tanhInto(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const tanhInto = T.tanhInto;
/** out[i] = 1/(1 + e^−x[i]). @example sigmoidInto(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const sigmoidInto = T.sigmoidInto;
/** 2^{j/64} = head[j] + tail[j] to 106 bits (read-only). @example exp2Table.head[32]; // √2 */
export const exp2Table = T.exp2Table;
/** out[i] = erf x[i]. @example erfInto(new Float64Array([0, 1]), new Float64Array(2), 0, 2); */
export const erfInto = T.erfInto;
