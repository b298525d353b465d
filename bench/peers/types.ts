import type { WorkloadData, WorkloadKind } from "../workloads.js";

/** A prepared computation: weights and inputs already live in the system's own arrays. */
export interface Runner {
  /**
   * Computes every output block and reads it back into JS memory, so the time measured is that
   * of finished work. Blocks are flat, row-major, in `outputBlocks` order.
   */
  run(): Promise<ArrayLike<number>[]>;
  /** Called (untimed) before every run, e.g. to make this runner's TF.js backend the active one. */
  activate?(): Promise<void>;
  /**
   * For a system that times itself (a subprocess): the wall and CPU ms it measured around the
   * computation of the last `run`, which the harness then uses instead of its own clock.
   */
  selfTimed?(): { wallMs: number; cpuMs: number } | undefined;
  /** Frees what `prepare` allocated (TF.js tensors, jax-js arrays and jit caches). */
  dispose(): void;
}

/** One way of computing a workload on a system. */
export interface Method {
  /** The code idiom, e.g. `vmap(jacrev(f))`. */
  label: string;
  /** False for a fallback that a user would reach for only because the idiomatic way fails. */
  idiomatic: boolean;
  /** True when the method is an approximation by design (finite differences). */
  approximate?: boolean;
  prepare(data: WorkloadData): Promise<Runner>;
}

export interface System {
  id: string;
  /** May be refined by `init` (e.g. with the version found at run time). */
  /** Library, version, backend and precision as shown in the table. */
  label: string;
  dtype: "float64" | "float32";
  /** Starts the backend; returns a line describing it (threads, SIMD …) for the report. */
  init(): Promise<string>;
  /** The methods to run for a workload: the idiomatic one first, then any fallbacks. */
  methods(kind: WorkloadKind): Method[];
  /** Called once when the harness is done (e.g. ends a subprocess). */
  close?(): void;
  /** Allocated-but-not-freed array count, where the library exposes one (leak check). */
  liveArrays?(): number;
}
