// Keras: keras/src/layers/core/einsum_dense.py (tf.keras 2.x: keras/layers/core/einsum_dense.py, same
// weights and equations). Keras's `_analyze_split_string` lists the left-elided dims of the *output
// shape it reports* in reverse order; the einsum itself keeps them in order, and so do we.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { einsum } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import type { Weight } from "../../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "../base/_options.js";
import { at, fmtShape, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of EinsumDense (Keras's arguments, camelCase).
 *
 * @example new layers.EinsumDense({ equation: "abc,cd->abd", outputShape: [null, 64], biasAxes: "d" })
 */
export interface EinsumDenseArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {
  /** `"ab,bc->ac"`, `"...b,bc->...c"` or `"ab...,bc->ac..."`: input, kernel and output subscripts. */
  equation: string;
  /** Output shape without the batch dim and the elided dims; null entries are inferred from the input. */
  outputShape: number | (number | null)[];
  activation?: ActivationLike;
  /** Output subscripts the bias spans (none: no bias). */
  biasAxes?: string | null;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
  /**
   * Keras 3 LoRA options, recorded only: Keras merges the LoRA factors into `kernel` when it
   * saves a model, so a loaded layer needs just the merged kernel.
   */
  loraRank?: number | null;
  loraAlpha?: number | null;
}

/** The three subscript groups of an EinsumDense equation and where its ellipsis is. */
interface Parsed {
  input: string;
  kernel: string;
  output: string;
  elided: "none" | "left" | "right";
}

function parseEquation(className: string, equation: string): Parsed {
  const eq = equation.replace(/\s+/g, "").replace(/\.\.\./g, "0");
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(eq);
  if (m) return { input: m[1], kernel: m[2], output: m[3], elided: "none" };
  m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(eq);
  if (m) return { input: m[1], kernel: m[2], output: m[3], elided: "left" };
  m = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(eq);
  if (m) return { input: m[1], kernel: m[2], output: m[3], elided: "right" };
  throw new ValueError(
    `${className}: invalid einsum equation '${equation}'; equations must be of the form ` +
      `[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...`,
  );
}

/** Kernel, bias and output shapes for an input shape (Keras's `_analyze_split_string`). */
interface Analysis {
  kernel: number[];
  bias: number[] | null;
  output: SymbolicShape;
  /** The explicit einsum equation for inputs of this rank (ellipsis replaced by letters). */
  equation: string;
}

/**
 * An einsum between the input and a kernel, plus an optional bias over some output axes and an
 * activation. `Dense(64)` is `EinsumDense({ equation: "ab,bc->ac", outputShape: 64, biasAxes: "c" })`;
 * MultiHeadAttention is built from these.
 *
 * @example
 * const layer = new layers.EinsumDense({ equation: "abc,cd->abd", outputShape: [null, 64], biasAxes: "d" });
 * layer.call(zeros([2, 32, 128])).shape; // [2, 32, 64]
 */
export class EinsumDense extends Layer {
  static override className = "EinsumDense";
  readonly equation: string;
  readonly partialOutputShape: (number | null)[];
  readonly activation: activations.Activation;
  readonly biasAxes: string | null;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly loraRank: number | null;
  readonly loraAlpha: number | null;
  private readonly extras: Record<string, unknown>;
  private readonly parsed: Parsed;
  private analysis: Analysis | null = null;
  kernel!: Weight;
  bias: Weight | null = null;

  constructor(args: EinsumDenseArgs) {
    super(args);
    this.equation = args.equation;
    this.parsed = parseEquation(this.className, args.equation);
    const os = args.outputShape;
    this.partialOutputShape = typeof os === "number" ? [os] : os.slice();
    this.activation = activations.get(args.activation);
    this.biasAxes = args.biasAxes ?? null;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.loraRank = args.loraRank ?? null;
    this.loraAlpha = args.loraAlpha ?? null;
    this.extras = trainingOnlyOptions(args, ["kernel", "bias"], true);
    if (this.biasAxes !== null)
      for (const c of this.biasAxes)
        if (!this.parsed.output.includes(c))
          throw new ValueError(
            at(this, `bias axis '${c}' is not part of the output subscripts '${this.parsed.output}'`),
          );
  }

  /** Works out the kernel, bias and output shapes for inputs of shape `s`. */
  private analyze(s: SymbolicShape): Analysis {
    const { input, kernel, output, elided: side } = this.parsed;
    const elided = s.length - input.length;
    if (elided < 0 || (side === "none" && elided !== 0))
      throw new ShapeError(
        at(
          this,
          `equation '${this.equation}' expects inputs of rank ${input.length}, got shape ${fmtShape(s)}`,
        ),
      );
    const out: SymbolicShape = [s[0] ?? null, ...this.partialOutputShape];
    if (side === "left") out.splice(1, 0, ...s.slice(1, elided));
    else if (side === "right") out.push(...s.slice(s.length - elided));
    const inPos = (c: string) => input.indexOf(c) + (side === "left" ? elided : 0);
    const outPos = (c: string) => output.indexOf(c) + (side === "left" ? elided : 0);
    if (out.length !== output.length + (side === "none" ? 0 : elided))
      throw new ValueError(
        at(
          this,
          `outputShape ${fmtShape(this.partialOutputShape)} does not fit the output subscripts '${output}' of '${this.equation}'`,
        ),
      );
    for (const c of input)
      if (output.includes(c)) {
        const want = out[outPos(c)];
        if (want !== null && want !== s[inPos(c)])
          throw new ShapeError(
            at(
              this,
              `input and output shapes differ at shared dimension '${c}': input ${fmtShape(s)}, output ${fmtShape(out)}`,
            ),
          );
        out[outPos(c)] = s[inPos(c)];
      }
    for (const c of output)
      if (!input.includes(c) && !kernel.includes(c))
        throw new ValueError(at(this, `output dimension '${c}' appears in neither the input nor the kernel`));
    const dim = (c: string, what: string): number => {
      const d = input.includes(c) ? s[inPos(c)] : output.includes(c) ? out[outPos(c)] : undefined;
      if (d === undefined)
        throw new ValueError(
          at(this, `${what} dimension '${c}' appears in neither the input nor the output`),
        );
      if (d === null)
        throw new ShapeError(
          at(this, `${what} dimension '${c}' must be known, got input shape ${fmtShape(s)}`),
        );
      return d;
    };
    const kernelShape = [...kernel].map((c) => dim(c, "kernel"));
    let bias: number[] | null = null;
    if (this.biasAxes !== null) {
      const first = Math.min(...[...this.biasAxes].map((c) => output.indexOf(c)));
      bias = [...output.slice(first)].map((c) => (this.biasAxes!.includes(c) ? dim(c, "bias") : 1));
      if (side === "right") for (let i = 0; i < elided; i++) bias.push(1);
    }
    const used = new Set(`${input}${kernel}${output}`);
    const spare = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].filter((c) => !used.has(c));
    const extra = spare.slice(0, elided).join("");
    const equation =
      side === "left"
        ? `${extra}${input},${kernel}->${extra}${output}`
        : side === "right"
          ? `${input}${extra},${kernel}->${output}${extra}`
          : `${input},${kernel}->${output}`;
    return { kernel: kernelShape, bias, output: out, equation };
  }

  override build(inputShape: ShapeTree): void {
    const a = this.analyze(singleShape(this, inputShape));
    this.analysis = a;
    this.kernel = this.addWeight("kernel", a.kernel, this.kernelInitializer);
    if (a.bias !== null) this.bias = this.addWeight("bias", a.bias, this.biasInitializer);
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const x = singleTensor(this, inputs);
    const a = this.analyze(x.shape);
    const k = this.kernel.shape;
    if (a.kernel.some((d, i) => d !== k[i]))
      throw new ShapeError(
        at(
          this,
          `input of shape ${fmtShape(x.shape)} needs a kernel ${fmtShape(a.kernel)}, the layer has ${fmtShape(k)}`,
        ),
      );
    let y = einsum(a.equation, x, this.kernel.value);
    if (this.bias !== null) y = y.add(this.bias.value);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return this.analyze(singleShape(this, inputShape)).output;
  }

  /** The full output shape the layer was built for (Keras's `full_output_shape`). */
  get fullOutputShape(): SymbolicShape | null {
    return this.analysis?.output.slice() ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      equation: this.equation,
      outputShape: this.partialOutputShape.slice(),
      activation: activations.serialize(this.activation),
      biasAxes: this.biasAxes,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
      loraRank: this.loraRank,
      loraAlpha: this.loraAlpha,
    };
  }
}
