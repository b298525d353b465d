/**
 * Issue 3's demo: per-sample values and derivatives of the pricing model, checked against the
 * closed forms and against central finite differences.
 */
import { array, concatenate, derivatives, random, setWarningHandler, type Tensor } from "gradlens";
import { BuggyPricingModel, mlpHiddenModel, PricingModel, seedHiddenModel } from "./models.js";

export interface DerivativesDemoResult {
  warnings: string[];
  /** Max relative error of d/dprice and d/dx against the closed forms (seed model). */
  closedFormError: { dPrice: number; dFeatures: number };
  /** Max relative error of autodiff against central differences (seed and MLP models). */
  finiteDifferenceError: { seed: number; mlp: number };
  /** Max |∂²y/∂price² | and max |∂²y/∂price∂x − 0.1| (seed model: exactly 0). */
  secondOrderError: number;
  lines: string[];
}

const maxRel = (a: Tensor, b: Tensor) => {
  const x = a.data();
  const y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-12));
  return m;
};

/** Central differences of the model's per-sample output w.r.t. each input column, float64. */
function finiteDifferences(
  model: PricingModel,
  prices: Tensor,
  features: Tensor,
): { dPrice: Tensor; dFeatures: Tensor } {
  const f = (p: Tensor, x: Tensor) => model.call([p, x]).reshape([-1]);
  const h = 1e-6;
  const dPrice = f(prices.mul(1 + h), features)
    .sub(f(prices.mul(1 - h), features))
    .div(prices.mul(2 * h));
  const cols: Tensor[] = [];
  for (let j = 0; j < features.shape[1]; j++) {
    const e = new Float64Array(features.shape[1]);
    e[j] = h;
    const step = array(e);
    cols.push(
      f(prices, features.add(step))
        .sub(f(prices, features.sub(step)))
        .div(2 * h),
    );
  }
  return {
    dPrice,
    dFeatures: concatenate(
      cols.map((c) => c.reshape([-1, 1])),
      1,
    ),
  };
}

export function runDerivativesDemo(
  opts: { rows?: number; print?: (line: string) => void } = {},
): DerivativesDemoResult {
  const rows = opts.rows ?? 10;
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    opts.print?.(l);
  };
  const warnings: string[] = [];
  const prev = setWarningHandler((m) => warnings.push(m));
  try {
    const prices = random.uniform([rows], { seed: 1, low: 90, high: 110 });
    const features2 = random.normal([rows, 2], { seed: 2 });

    say("== The original Keras model (prices (N,) × hidden (N, 1)) ==");
    const buggy = new BuggyPricingModel(seedHiddenModel());
    buggy.build([[rows], [rows, 2]]);
    const yBug = buggy.call([prices, features2]);
    say(
      `call() returned shape [${yBug.shape}] — ${warnings.length ? `gradlens warned:\n  ${warnings[0]}` : "no warning"}`,
    );

    say("\n== The fixed model (prices reshaped to (N, 1)) ==");
    const model = new PricingModel(seedHiddenModel());
    const d = derivatives(model, { referencePrices: prices, hiddenInputs: features2 }, { order: 2 });
    const y = d.values.price.reshape([-1]);
    const dP = d.jacobian.price.referencePrices;
    const dX = d.jacobian.price.hiddenInputs;
    const hiddenOut = features2.sum({ axis: 1 }).mul(0.1);
    say("sample  price      x1        x2        value      d/dprice   d/dx1     d/dx2");
    const [p, x, v, a, b] = [prices, features2, y, dP, dX].map((t) => t.data());
    const cell = (z: number, digits: number, width: number) => z.toFixed(digits).padStart(width);
    for (let i = 0; i < Math.min(rows, 10); i++)
      say(
        `${String(i).padStart(6)}  ${cell(p[i], 4, 9)} ${cell(x[2 * i], 4, 8)} ${cell(x[2 * i + 1], 4, 8)}  ` +
          `${cell(v[i], 5, 10)} ${cell(a[i], 6, 9)} ${cell(b[2 * i], 5, 8)} ${cell(b[2 * i + 1], 5, 8)}`,
      );
    const closedFormError = {
      dPrice: maxRel(dP, hiddenOut.add(1)),
      dFeatures: maxRel(dX, prices.mul(0.1).reshape([-1, 1]).broadcastTo([rows, 2])),
    };
    say(
      `closed forms: d/dprice = hidden + 1 (max rel err ${closedFormError.dPrice.toExponential(2)}), d/dx_j = 0.1·price (max rel err ${closedFormError.dFeatures.toExponential(2)})`,
    );
    const h = d.hessian!.price;
    const cross = h.referencePrices.hiddenInputs.sub(0.1).abs().max().item();
    const secondOrderError = Math.max(
      h.referencePrices.referencePrices.abs().max().item(),
      cross,
      h.hiddenInputs.hiddenInputs.abs().max().item(),
    );
    say(
      `second order: ∂²y/∂price² = 0, ∂²y/∂price∂x_j = 0.1, ∂²y/∂x² = 0 (max abs err ${secondOrderError.toExponential(2)})`,
    );
    const fdSeed = finiteDifferences(model, prices, features2);
    const seedFd = Math.max(maxRel(dP, fdSeed.dPrice), maxRel(dX, fdSeed.dFeatures));
    say(`finite differences (float64, central): max rel err ${seedFd.toExponential(2)}`);

    say("\n== Richer hidden model: [8 → 64 → 64 → 1] tanh MLP ==");
    const features8 = random.normal([rows, 8], { seed: 3 });
    const mlp = new PricingModel(mlpHiddenModel());
    const dm = derivatives(mlp, { referencePrices: prices, hiddenInputs: features8 });
    const hid = (mlp.hidden.call(features8) as Tensor).reshape([-1]);
    const dPm = dm.jacobian.price.referencePrices;
    say(`d/dprice = hidden(x) + 1: max rel err ${maxRel(dPm, hid.add(1)).toExponential(2)}`);
    const fdMlp = finiteDifferences(mlp, prices, features8);
    const mlpFd = Math.max(
      maxRel(dPm, fdMlp.dPrice),
      maxRel(dm.jacobian.price.hiddenInputs, fdMlp.dFeatures),
    );
    say(`finite differences on all 9 inputs: max rel err ${mlpFd.toExponential(2)}`);
    const first = (dm.jacobian.price.hiddenInputs.slice([0]).toArray() as number[])
      .map((g) => g.toFixed(4))
      .join(", ");
    say(`sample 0: d/dx = [${first}]`);
    return {
      warnings,
      closedFormError,
      finiteDifferenceError: { seed: seedFd, mlp: mlpFd },
      secondOrderError,
      lines,
    };
  } finally {
    setWarningHandler(prev);
  }
}
