/**
 * PyTorch (functorch `vmap(grad)`, `vmap(jacrev)`, `vmap(hessian)`; float64 and float32; one
 * thread) through a Python subprocess running `torch_peer.py`.
 *
 * Python: `$GRADLENS_TORCH_PYTHON` if set, else Debian's `/usr/bin/python3` (which has
 * `python3-torch`; a pyenv `python3` earlier on PATH usually has no torch), else `python3`. The
 * first one that can `import torch` is used; if none can, `init` throws and the harness prints the
 * reason and skips both PyTorch systems.
 *
 * Weights and inputs go to the subprocess as raw float64 files (the same arrays gradlens gets);
 * results come back the same way and are checked against gradlens like every other peer's.
 * Each timed run is one request; the time reported is the one Python measured around the
 * computation (`Runner.selfTimed`), so the pipe and the result file are not billed to PyTorch.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { outputBlocks, type WorkloadData, type WorkloadKind } from "../workloads.js";
import type { Method, Runner, System } from "./types.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "torch_peer.py");

/** One answer line from `torch_peer.py`. */
export interface TorchReply {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

/** Parses one reply line; a line that is not a JSON object with a boolean `ok` is a protocol error. */
export function parseReply(line: string): TorchReply {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`torch peer: reply is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (typeof v !== "object" || v === null || typeof (v as TorchReply).ok !== "boolean")
    throw new Error(`torch peer: reply has no boolean 'ok': ${line.slice(0, 200)}`);
  return v as TorchReply;
}

/**
 * Splits the raw little-endian float64 result file into blocks of the given lengths; the file
 * must hold exactly their sum.
 */
export function splitBlocks(bytes: Uint8Array, lengths: number[]): Float64Array[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * 8)
    throw new Error(`torch peer: result file has ${bytes.byteLength} bytes, expected ${total * 8}`);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let at = 0;
  return lengths.map((len) => all.subarray(at, (at += len)));
}

/** The first candidate interpreter that imports torch, or why none does. */
export function findTorchPython(): { python: string } | { reason: string } {
  const env = process.env.GRADLENS_TORCH_PYTHON;
  const candidates = env ? [env] : ["/usr/bin/python3", "python3"];
  const why: string[] = [];
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return { python: py };
    const msg = r.error ? r.error.message : (r.stderr.trim().split("\n").pop() ?? `exit ${r.status}`);
    why.push(`${py}: ${msg}`);
  }
  return { reason: `no Python with torch (${why.join("; ")}); set GRADLENS_TORCH_PYTHON` };
}

/** The subprocess: one request line out, one reply line back, in order. */
class TorchServer {
  private child: ChildProcessWithoutNullStreams;
  private pending: ((line: string) => void)[] = [];
  private buf = "";
  private exited: string | null = null;

  constructor(python: string) {
    this.child = spawn(python, [SCRIPT], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
    });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      this.buf += chunk;
      let nl;
      while ((nl = this.buf.indexOf("\n")) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.pending.shift()?.(line);
      }
    });
    let stderr = "";
    this.child.stderr.on("data", (c) => (stderr = (stderr + String(c)).slice(-2000)));
    // A spawn failure is reported like an exit, to every pending and later request.
    this.child.on("error", (err) => {
      this.exited = `torch peer could not run: ${err.message}`;
      for (const p of this.pending.splice(0)) p(JSON.stringify({ ok: false, error: this.exited }));
    });
    this.child.on("exit", (code) => {
      this.exited = `torch peer exited (code ${code}): ${stderr.trim().split("\n").pop() ?? ""}`;
      for (const p of this.pending.splice(0)) p(JSON.stringify({ ok: false, error: this.exited }));
    });
  }

  async request(req: object): Promise<TorchReply> {
    if (this.exited) throw new Error(this.exited);
    const line = await new Promise<string>((resolve) => {
      this.pending.push(resolve);
      this.child.stdin.write(JSON.stringify(req) + "\n");
    });
    const reply = parseReply(line);
    if (!reply.ok) throw new Error(reply.error ?? "torch peer failed without a message");
    return reply;
  }

  close(): void {
    this.child.stdin.end();
  }
}

let server: TorchServer | null = null;
let info: string | null = null;
let version = "";
let api = "";
/** Input files per workload data set, written once and shared by all methods and dtypes. */
const dirs = new Map<WorkloadData, string>();
let nextId = 0;

async function start(): Promise<string> {
  if (info) return info;
  const found = findTorchPython();
  if ("reason" in found) throw new Error(found.reason);
  server = new TorchServer(found.python);
  const r = await server.request({ cmd: "info" });
  version = String(r.torch);
  api = String(r.api);
  info =
    `${found.python}, Python ${r.python}, torch ${r.torch} (${r.api}${r.functorch ? ` ${r.functorch}` : ""}), ` +
    `${r.threads} thread(s), BLAS ${r.blas}`;
  return info;
}

function inputsDir(data: WorkloadData): string {
  let dir = dirs.get(data);
  if (dir) return dir;
  dir = mkdtempSync(path.join(os.tmpdir(), "gradlens-torch-"));
  const put = (name: string, a: Float64Array) =>
    writeFileSync(path.join(dir!, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  put("x.bin", data.x);
  if (data.price) put("price.bin", data.price);
  data.layers.forEach((l, i) => {
    put(`W${i}.bin`, l.W);
    put(`b${i}.bin`, l.b);
  });
  dirs.set(data, dir);
  return dir;
}

const LABELS: Record<string, Partial<Record<WorkloadKind, string>>> = {
  vmap: {
    priceGrad: "vmap(grad(y, argnums=(0, 1)))",
    jacobian: "vmap(jacrev(mlp))",
    priceHessian: "vmap(hessian(y))",
    grad: "vmap(grad(f))",
  },
  autograd: { priceGrad: "autograd.grad(Σy, (x, price))", grad: "autograd.grad(Σf, x)" },
};

function torchMethod(dtype: "float64" | "float32", method: "vmap" | "autograd", kind: WorkloadKind): Method {
  return {
    label: LABELS[method][kind]!,
    // The batch-sum idiom is the pre-functorch way; it is measured as a second PyTorch method.
    idiomatic: true,
    prepare: async (data): Promise<Runner> => {
      const id = `r${nextId++}`;
      const dir = inputsDir(data);
      const s = server!;
      await s.request({
        cmd: "prepare",
        id,
        dir,
        kind,
        sizes: data.spec.sizes,
        n: data.n,
        dtype,
        method,
      });
      const out = path.join(dir, `${id}.out`);
      let last: { wallMs: number; cpuMs: number } | undefined;
      return {
        run: async () => {
          const r = await s.request({ cmd: "run", id, out });
          last = { wallMs: r.wall_ms as number, cpuMs: r.cpu_ms as number };
          const blocks = splitBlocks(readFileSync(out), r.lengths as number[]);
          const want = outputBlocks(data).map((b) => b.shape.reduce((a, c) => a * c, 1));
          if (want.join() !== blocks.map((b) => b.length).join())
            throw new Error(`torch peer: block lengths ${blocks.map((b) => b.length)} ≠ expected ${want}`);
          return blocks;
        },
        selfTimed: () => last,
        dispose: () => {
          void s.request({ cmd: "dispose", id }).catch(() => {});
          rmSync(out, { force: true });
        },
      };
    },
  };
}

function torchSystem(dtype: "float64" | "float32"): System {
  const sys: System = {
    id: dtype === "float64" ? "torch" : "torch-f32",
    label: `PyTorch (${dtype})`,
    dtype,
    init: async () => {
      const line = await start();
      sys.label = `PyTorch ${version} ${api} (${dtype})`;
      return line;
    },
    methods: (kind) =>
      (["vmap", "autograd"] as const).filter((m) => LABELS[m][kind]).map((m) => torchMethod(dtype, m, kind)),
    close: () => {
      server?.close();
      server = null;
      info = null;
      for (const d of dirs.values()) rmSync(d, { recursive: true, force: true });
      dirs.clear();
    },
  };
  return sys;
}

export const torch64 = torchSystem("float64");
export const torch32 = torchSystem("float32");
