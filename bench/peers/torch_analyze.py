"""The job of a first-order `analyze` (summary + DGSM) written in one PyTorch script.

  /usr/bin/python3 bench/peers/torch_analyze.py DIR N SIZES BATCH [float64|float32]

Run by bench/analyze-vs-torch.ts. DIR holds raw little-endian float64 files: x.bin ([N, in]),
W<l>.bin ([fanIn, fanOut], x·W + b) and b<l>.bin; SIZES is the MLP's widths, comma-separated
(tanh hidden layers, one linear output). What it computes, as gradlens's summary and DGSM do:

- per-sample value y and gradient ∂y/∂x (functorch `vmap(grad_and_value(f))`, BATCH rows at a time);
- per feature, of ∂y/∂x_j over all rows: mean, mean |·|, rms, population std, min, max and the
  0.05/0.25/0.5/0.75/0.95 quantiles (linear interpolation, all rows kept: exact); the same of y;
- DGSM with uniform inputs on the data's range: ν_j = E[(∂y/∂x_j)²],
  bound_j = (max x_j − min x_j)²/π² · ν_j / Var(y) (population variance).

Prints one JSON object: {"ms": {"total", "gradients", "stats", "cpu"}, "values": {...}, "gradients": [...],
"dgsm": [{"nu", "bound"}]}. The clock starts once the inputs are in memory (as `analyze` starts
with the data already in arrays).
"""
import json
import math
import os
import sys
import time

import torch

torch.set_num_threads(1)
try:
    from torch.func import grad_and_value, vmap  # type: ignore
except ImportError:
    from functorch import grad_and_value, vmap  # type: ignore

LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95]


def load(path, shape, dtype):
    with open(path, "rb") as f:
        buf = bytearray(f.read())
    return torch.frombuffer(buf, dtype=torch.float64).reshape(shape).to(dtype)


def describe(v):
    """Statistics of a 1-D tensor, as plain floats (float64 arithmetic)."""
    v = v.to(torch.float64)
    mean = v.mean()
    return {
        "mean": mean.item(),
        "meanAbs": v.abs().mean().item(),
        "rms": v.square().mean().sqrt().item(),
        "std": (v - mean).square().mean().sqrt().item(),
        "min": v.min().item(),
        "max": v.max().item(),
        "quantiles": torch.quantile(v, torch.tensor(LEVELS, dtype=torch.float64)).tolist(),
    }


def main():
    d, n, sizes, batch = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3].split(",")], int(sys.argv[4])
    dt = {"float64": torch.float64, "float32": torch.float32}[sys.argv[5] if len(sys.argv) > 5 else "float64"]
    layers = [
        (load(os.path.join(d, f"W{l}.bin"), (sizes[l], sizes[l + 1]), dt), load(os.path.join(d, f"b{l}.bin"), (sizes[l + 1],), dt))
        for l in range(len(sizes) - 1)
    ]
    X = load(os.path.join(d, "x.bin"), (n, sizes[0]), dt)

    def f(x):  # one sample [in] -> scalar
        h = x
        for i, (W, b) in enumerate(layers):
            h = h @ W + b
            if i + 1 < len(layers):
                h = torch.tanh(h)
        return h.reshape(())

    per_sample = vmap(grad_and_value(f))
    c0 = time.process_time()
    t0 = time.perf_counter()
    G = torch.empty((n, sizes[0]), dtype=dt)
    Y = torch.empty((n,), dtype=dt)
    for s in range(0, n, batch):
        g, y = per_sample(X[s : s + batch])
        G[s : s + batch] = g
        Y[s : s + batch] = y
    t1 = time.perf_counter()
    grads = [describe(G[:, j]) for j in range(sizes[0])]
    values = describe(Y)
    var_y = values["std"] ** 2
    lo, hi = X.min(dim=0).values.to(torch.float64), X.max(dim=0).values.to(torch.float64)
    nu = G.to(torch.float64).square().mean(dim=0)
    bound = (hi - lo).square() / math.pi**2 * nu / var_y
    dgsm = [{"nu": nu[j].item(), "bound": bound[j].item()} for j in range(sizes[0])]
    t2 = time.perf_counter()
    ms = {
        "total": (t2 - t0) * 1000,
        "gradients": (t1 - t0) * 1000,
        "stats": (t2 - t1) * 1000,
        "cpu": (time.process_time() - c0) * 1000,
    }
    print(json.dumps({"ms": ms, "values": values, "gradients": grads, "dgsm": dgsm, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
