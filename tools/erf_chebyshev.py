"""Chebyshev coefficients for Nabla's erf (src/Nabla/Backends/Cpu/ErfMath.cs).

erf on [0, 1] is x · P(x²); beyond, erf = 1 − e^(−x²) · Q(x) with Q(x) = erfc(x) · e^(x²), a smooth slowly varying
function, fitted piecewise on [1, 2.5], [2.5, 4] and [4, 6]. Each piece is the Chebyshev interpolant at the
first-kind nodes, computed from mpmath at 50 digits, truncated where the coefficients fall below 1e-17 of the
leading one; ErfMath evaluates it with Clenshaw's recurrence. Run: /usr/bin/python3 tools/erf_chebyshev.py
"""
import math
import mpmath

mpmath.mp.dps = 50


def chebyshev(f, a, b, n=40):
    """Coefficients c_0..c_{n-1} of the interpolant of f on [a, b] (c_0 halved, as Clenshaw below expects)."""
    nodes = [mpmath.cos(mpmath.pi * (k + mpmath.mpf(1) / 2) / n) for k in range(n)]
    values = [f((b - a) / 2 * t + (b + a) / 2) for t in nodes]
    coeffs = []
    for j in range(n):
        s = sum(values[k] * mpmath.cos(mpmath.pi * j * (k + mpmath.mpf(1) / 2) / n) for k in range(n))
        coeffs.append(2 * s / n)
    coeffs[0] /= 2
    top = abs(coeffs[0])
    while abs(coeffs[-1]) < 1e-17 * top:
        coeffs.pop()
    return [float(c) for c in coeffs]


def clenshaw(c, a, b, x):
    t = (2 * x - a - b) / (b - a)
    b1 = b2 = 0.0
    for ck in reversed(c[1:]):
        b1, b2 = 2 * t * b1 - b2 + ck, b1
    return t * b1 - b2 + c[0]


def erf_over_x(t):  # P(t) = erf(√t)/√t, t = x²
    if t == 0:
        return 2 / mpmath.sqrt(mpmath.pi)
    x = mpmath.sqrt(t)
    return mpmath.erf(x) / x


def q(x):
    return mpmath.erfc(x) * mpmath.exp(x * x)


pieces = [("Small", erf_over_x, 0.0, 1.0)] + [(f"Tail{i}", q, a, b) for i, (a, b) in enumerate([(1.0, 2.5), (2.5, 4.0), (4.0, 6.0)])]
for name, fn, a, b in pieces:
    c = chebyshev(fn, mpmath.mpf(a), mpmath.mpf(b))
    worst = 0.0
    for i in range(2001):
        x = a + (b - a) * i / 2000
        if name == "Small":
            approx = math.sqrt(x) * clenshaw(c, a, b, x) if x > 0 else 0.0
            exact = mpmath.erf(mpmath.sqrt(x))
        else:
            approx = 1 - math.exp(-x * x) * clenshaw(c, a, b, x)
            exact = mpmath.erf(x)
        worst = max(worst, abs(float(approx - exact)))
    print(f"// {name} on [{a}, {b}]: {len(c)} terms, max |erf error| {worst:.2e}")
    print(f"static readonly double[] {name} = [")
    for k in range(0, len(c), 3):
        print("    " + ", ".join(repr(v) for v in c[k:k + 3]) + ",")
    print("];")
