"""PyTorch peer for bench/run.ts: a line-oriented JSON server on stdin/stdout.

Run by bench/peers/torch.ts as a subprocess (Debian's /usr/bin/python3 with python3-torch, or
$GRADLENS_TORCH_PYTHON). Every request is one JSON line, every answer one JSON line:

  {"cmd": "info"}
      -> {"ok": true, "torch": "1.13.0", "functorch": "...", "api": "functorch" | "torch.func",
          "threads": 1, "blas": "..."}
  {"cmd": "prepare", "id": "k", "dir": "/tmp/x", "kind": "grad", "sizes": [256, 512, 512, 1],
   "n": 4096, "dtype": "float64" | "float32", "method": "vmap" | "autograd"}
      -> {"ok": true, "label": "vmap(grad(f))"}
  {"cmd": "run", "id": "k", "out": "/tmp/x/out.bin"}
      -> {"ok": true, "wall_ms": 12.3, "cpu_ms": 12.1, "lengths": [32768]}
  {"cmd": "dispose", "id": "k"}  -> {"ok": true}
  any failure -> {"ok": false, "error": "TypeError: ..."}

Inputs are raw little-endian float64 files written by the harness in `dir`: x.bin ([n, in]),
price.bin ([n], price workloads), W<l>.bin ([fanIn, fanOut], the x·W + b convention) and
b<l>.bin. They are the exact float64 arrays gradlens gets; float32 runs cast them once, as every
float32 JS peer does. The timed region is the computation up to contiguous result tensors in
memory (the analogue of "results in a JS typed array"); writing the result file for the
harness's error check happens after the clock stops.
"""
import json
import os
import sys
import time
import traceback

import torch

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass  # already set; harmless

try:  # torch >= 2.0
    from torch.func import grad, hessian, jacrev, vmap  # type: ignore

    API = "torch.func"
except ImportError:  # torch 1.13: functorch ships the same transforms
    from functorch import grad, hessian, jacrev, vmap  # type: ignore

    API = "functorch"

DTYPES = {"float64": torch.float64, "float32": torch.float32}


def load(path, shape, dtype):
    with open(path, "rb") as f:
        buf = bytearray(f.read())
    t = torch.frombuffer(buf, dtype=torch.float64).reshape(shape).clone()
    return t.to(dtype)


def build(req):
    """Returns (label, thunk) where thunk() computes every output block as a contiguous tensor."""
    d, sizes, n = req["dir"], req["sizes"], req["n"]
    dt = DTYPES[req["dtype"]]
    layers = []
    for l in range(len(sizes) - 1):
        W = load(os.path.join(d, f"W{l}.bin"), (sizes[l], sizes[l + 1]), dt)
        b = load(os.path.join(d, f"b{l}.bin"), (sizes[l + 1],), dt)
        layers.append((W, b))
    X = load(os.path.join(d, "x.bin"), (n, sizes[0]), dt)
    kind, method = req["kind"], req["method"]
    P = load(os.path.join(d, "price.bin"), (n,), dt) if kind in ("priceGrad", "priceHessian") else None

    def mlp(x):  # works on one sample [in] and on a batch [n, in]
        h = x
        for i, (W, b) in enumerate(layers):
            h = h @ W + b
            if i + 1 < len(layers):
                h = torch.tanh(h)
        return h

    def y(x, p):  # one sample: scalar (mlp(x) + 1) * price
        return (mlp(x).reshape(()) + 1) * p

    if method == "vmap":
        if kind == "priceGrad":
            f = vmap(grad(y, argnums=(0, 1)))
            return "vmap(grad(y, argnums=(0, 1)))", lambda: list(f(X, P))
        if kind == "jacobian":
            f = vmap(jacrev(mlp))
            return "vmap(jacrev(mlp))", lambda: [f(X)]
        if kind == "priceHessian":
            f = vmap(hessian(y))
            return "vmap(hessian(y))", lambda: [f(X, P)]
        if kind == "grad":
            f = vmap(grad(lambda x: mlp(x).reshape(())))
            return "vmap(grad(f))", lambda: [f(X)]
    if method == "autograd":
        # The pre-functorch idiom: autograd on the batch sum (rows are independent).
        if kind == "priceGrad":

            def run():
                x = X.detach().requires_grad_(True)
                p = P.detach().requires_grad_(True)
                s = ((mlp(x).reshape(-1) + 1) * p).sum()
                gx, gp = torch.autograd.grad(s, (x, p))
                return [gx, gp]

            return "autograd.grad(Σy, (x, price))", run
        if kind == "grad":

            def run():
                x = X.detach().requires_grad_(True)
                (gx,) = torch.autograd.grad(mlp(x).sum(), (x,))
                return [gx]

            return "autograd.grad(Σf, x)", run
    raise ValueError(f"no method '{method}' for workload kind '{kind}'")


def main():
    runners = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            cmd = req["cmd"]
            if cmd == "info":
                try:
                    import functorch

                    fver = functorch.__version__
                except ImportError:
                    fver = None
                # Debian builds torch against the generic BLAS interface; which library serves
                # it (OpenBLAS, BLIS, reference) is the libblas alternative loaded at run time.
                torch.ones(64, 64, dtype=torch.float64) @ torch.ones(64, 64, dtype=torch.float64)
                with open("/proc/self/maps") as maps:
                    libs = {ln.split()[-1] for ln in maps if "blas" in ln.lower() and "/" in ln}
                blas = ", ".join(sorted(os.path.realpath(x) for x in libs)) or "unknown"
                res = {
                    "ok": True,
                    "torch": torch.__version__,
                    "functorch": fver,
                    "api": API,
                    "threads": torch.get_num_threads(),
                    "blas": blas,
                    "python": sys.version.split()[0],
                }
            elif cmd == "prepare":
                label, thunk = build(req)
                runners[req["id"]] = thunk
                res = {"ok": True, "label": label}
            elif cmd == "run":
                thunk = runners[req["id"]]
                c0 = time.process_time()
                t0 = time.perf_counter()
                outs = [o.detach().contiguous() for o in thunk()]
                wall = (time.perf_counter() - t0) * 1000
                cpu = (time.process_time() - c0) * 1000
                with open(req["out"], "wb") as f:
                    for o in outs:
                        f.write(o.to(torch.float64).numpy().tobytes())
                res = {"ok": True, "wall_ms": wall, "cpu_ms": cpu, "lengths": [o.numel() for o in outs]}
            elif cmd == "dispose":
                runners.pop(req["id"], None)
                res = {"ok": True}
            else:
                raise ValueError(f"unknown command '{cmd}'")
        except Exception as e:  # reported to the harness, which marks the method FAILED
            res = {"ok": False, "error": f"{type(e).__name__}: {e}".splitlines()[0], "trace": traceback.format_exc()}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
