"""Fit of the tanh kernel's small-range polynomial (src/kernels/transcendental/fdlibm.ts, tanhInto):
P(z) ~ (tanh(x)/x - 1)/z, z = x^2, on |x| <= 0.55, minimizing the relative error z*(P - P*) that it
adds to tanh: weighted least squares on 400 Chebyshev nodes at 60 digits, reweighted by Lawson
iterations toward minimax. Needs python3 with mpmath.   python3 scripts/fit-tanh-poly.py 9
The kernel uses degree 9 (reported error 0.17 * 2^-53); degree 8 gives 6.0 * 2^-53.
"""
import mpmath as mp
mp.mp.dps = 60
C = mp.mpf('0.55')
Z = C*C
def Pstar(z):
    if z == 0: return mp.mpf(-1)/3
    x = mp.sqrt(z)
    return (mp.tanh(x)/x - 1)/z
import sys
deg = int(sys.argv[1]) if len(sys.argv) > 1 else 9
M = 400
nodes = [Z*(1-mp.cos(mp.pi*(i+0.5)/M))/2 for i in range(M)]
vals = [Pstar(z) for z in nodes]
w = [mp.mpf(1)]*M
for it in range(30):
    A = mp.matrix(deg+1, deg+1); b = mp.matrix(deg+1, 1)
    for z, v, wi in zip(nodes, vals, w):
        wt = wi*z*z
        pw = [z**k for k in range(deg+1)]
        for i in range(deg+1):
            b[i] += wt*pw[i]*v
            for j in range(deg+1):
                A[i,j] += wt*pw[i]*pw[j]
    c = mp.lu_solve(A, b)
    errs = [abs(z*(sum(c[k]*z**k for k in range(deg+1)) - v)) for z, v in zip(nodes, vals)]
    m = max(errs)
    s = sum(wi*e for wi, e in zip(w, errs))
    w = [wi*e/s for wi, e in zip(w, errs)]
print("deg", deg, "max rel err of tanh contribution", mp.nstr(m, 5), "in 2^-53 units", mp.nstr(m/mp.mpf(2)**-53, 5))
print([float(c[k]) for k in range(deg+1)])
print([repr(float(c[k])) for k in range(deg+1)])
