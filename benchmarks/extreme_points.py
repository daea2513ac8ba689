"""Digits correct at extreme points: float64, torch, fixed 50-digit mpmath, and the package.

Proposition 7's loss f(x) = log(1 + exp(−x1 x2 x3 x4)) along x(t) = (10⁻³⁰, 10⁻³⁰, t, t):
the output u = 10⁻⁶⁰ t² grows to 10¹⁴⁰ at t = 10¹⁰⁰, ℓ′(u) ≈ −e^(−u) underflows
every fixed-size float, and exp(±u) has condition number u. For each t = 10^k
the table gives the number of correct significant digits of ‖∇f‖ (Euclidean)
and ‖∇²f‖_F (Frobenius) computed

* in float64 by the engine's numpy backend,
* by ``torch.func`` (grad, hessian) in float64 when torch is installed,
* by mpmath at a fixed 50 digits (the objective's compiled derivatives),
* by the package's numeric table (ball arithmetic, adaptive precision): the
  printed decimal strings, which hold only guaranteed digits,

against a reference from the closed forms at a much higher precision,
itself confirmed at twice that precision. "all" means every printed digit is
correct (the printed value is within one unit of its last digit of the
reference); a float result of exactly 0, inf or NaN counts as 0 digits.

    python -m benchmarks.extreme_points [--smoke] [--json FILE]
"""

from __future__ import annotations

import math
import sys

import mpmath as mp
import numpy as np
import sympy as sp

from dlnsmooth.curves import Curve, Restriction
from dlnsmooth.evidence import numeric_table
from dlnsmooth.networks.deep_linear import prop7_objective
from dlnsmooth.networks.engine import FLOAT64
from dlnsmooth.objective import Objective

from ._common import arguments, print_table, torch_or_none, write_json

EXPONENTS = [1, 10, 20, 29, 30, 31, 32, 33, 40, 60, 80, 100]
SMOKE = [1, 31, 32]
SMALL = sp.Rational(1, 10**30)


def reference(k: int) -> tuple[mp.mpf, mp.mpf]:
    """(‖∇f‖, ‖∇²f‖_F) from the closed forms, at a precision that grows with u, confirmed at twice it."""
    def at(dps):
        with mp.workdps(dps):
            x = [mp.mpf(1) / mp.mpf(10) ** 30, mp.mpf(1) / mp.mpf(10) ** 30, mp.mpf(10) ** k, mp.mpf(10) ** k]
            u = x[0] * x[1] * x[2] * x[3]
            s = 1 / (1 + mp.exp(u))  # −ℓ′(u)
            d2 = s * (1 - s)  # ℓ″(u)
            gu = [x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2]]
            grad = mp.sqrt(mp.fsum(v * v for v in gu)) * s
            frob_sq = mp.mpf(0)
            for i in range(4):
                for j in range(4):
                    hu = mp.mpf(0) if i == j else mp.fprod(x[m] for m in range(4) if m not in (i, j))
                    frob_sq += (d2 * gu[i] * gu[j] - s * hu) ** 2
            return grad, mp.sqrt(frob_sq)

    dps = 200 + 3 * max(0, 2 * k - 60)
    low, high = at(dps), at(2 * dps)
    with mp.workdps(2 * dps):
        for a, b in zip(low, high):
            assert abs(a - b) <= abs(b) * mp.mpf(10) ** -80, "reference not confirmed"
    return high


def correct_digits(value, ref: mp.mpf) -> int:
    """Correct significant digits of ``value`` against ``ref`` (0 for 0, inf, NaN or None)."""
    if value is None:
        return 0
    with mp.workdps(100):
        v = mp.mpf(value) if not isinstance(value, mp.mpf) else value  # decimal strings convert exactly enough here
        if not mp.isfinite(v) or v == 0:
            return 0
        rel = abs(v - ref) / abs(ref)
        return 60 if rel == 0 else max(0, min(60, int(mp.floor(-mp.log10(rel)))))


def ulp_error(text: str | None, ref: mp.mpf) -> tuple[int, float | None]:
    """(printed significant digits, |printed − reference| in units of the last printed digit).

    The decimal exponent is split off first: mpmath cannot parse a string such as
    ``1.3e-4342…(100 digits)`` directly without losing every digit.
    """
    if not text:
        return 0, None
    mantissa_text, _, exponent_text = text.partition("e")
    digits = len(mantissa_text.lstrip("-").replace(".", "").lstrip("0"))
    exponent = int(exponent_text) if exponent_text else 0
    with mp.workdps(digits + 40 + len(str(abs(exponent)))):
        mantissa = mp.mpf(mantissa_text)
        scaled = ref / mp.mpf(10) ** exponent  # the reference in the printed mantissa's scale
        ulp = mp.mpf(10) ** (int(mp.floor(mp.log10(abs(mantissa)))) - digits + 1)
        return digits, float(abs(mantissa - scaled) / ulp)


def _short(value: mp.mpf) -> str:
    """A positive number as text; astronomically small or large ones as 10^(log10 value)."""
    with mp.workdps(30):
        exponent = mp.log10(value)
        if abs(exponent) < 10**5:
            return mp.nstr(value, 6)
        return f"10^({mp.nstr(exponent, 8)})"


def float64_norms(objective, k: int) -> tuple[float, float]:
    point = [1e-30, 1e-30, 10.0**k, 10.0**k]
    with np.errstate(all="ignore"):  # float64 fails here; the table shows how
        state = objective.state(point, FLOAT64)
        return math.sqrt(state.grad_norm_sq()), math.sqrt(state.hess_frobenius_sq())


def torch_norms(torch, k: int) -> tuple[float, float]:
    def f(x):
        return torch.nn.functional.softplus(-(x[0] * x[1] * x[2] * x[3]))

    x = torch.tensor([1e-30, 1e-30, 10.0**k, 10.0**k], dtype=torch.float64)
    g = torch.func.grad(f)(x)
    H = torch.func.hessian(f)(x)
    return float(torch.linalg.vector_norm(g)), float(torch.linalg.matrix_norm(H))


def mpmath50_norms(generic: Objective, k: int) -> tuple[mp.mpf, mp.mpf]:
    point = [SMALL, SMALL, sp.Integer(10) ** k, sp.Integer(10) ** k]
    with mp.workdps(50):
        return generic.grad_norm(point, 50), generic.hess_norm(point, 50)


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    torch = torch_or_none()
    exponents = SMOKE if args.smoke else EXPONENTS
    objective = prop7_objective(1, 1)
    generic = Objective.from_string("log(1 + exp(-x1*x2*x3*x4))", "x1,x2,x3,x4")
    t = sp.Symbol("t", positive=True)
    curve = Curve(objective.variables, [SMALL, SMALL, t, t], t)
    restriction = Restriction(objective, curve)
    table = numeric_table(restriction, sp.Integer(0), decades=max(exponents), digits=15)
    rows_by_k = {r.exponent: r for r in table.rows}
    records, wrong = [], []
    for k in exponents:
        ref_g, ref_h = reference(k)
        f64 = float64_norms(objective, k)
        tor = torch_norms(torch, k) if torch is not None else (None, None)
        m50 = mpmath50_norms(generic, k)
        row = rows_by_k[k]
        shown = row.texts(60)[:2]
        measured = [ulp_error(s, ref) for s, ref in zip(shown, (ref_g, ref_h))]
        printed = [n for n, _ in measured]
        ulps = [e for _, e in measured]
        package = [max(0, n - 1 - int(math.floor(math.log10(e)))) if e else n for n, e in measured]
        # every printed digit correct: off by at most one unit in the last printed place
        # (rounding to n digits plus the ball's radius)
        all_correct = all(e is not None and e <= 1 for e in ulps)
        if not all_correct or not row.confirmed(15):
            wrong.append(k)
        with mp.workdps(30):
            u = mp.mpf(10) ** (2 * k - 60)
        records.append({
            "k": k, "u": mp.nstr(u, 3),
            "reference": [_short(ref_g), _short(ref_h)],
            "float64": [repr(v) for v in f64], "float64_digits": [correct_digits(v, r) for v, r in zip(f64, (ref_g, ref_h))],
            "torch": [repr(v) for v in tor],
            "torch_digits": [correct_digits(v, r) for v, r in zip(tor, (ref_g, ref_h))] if torch else None,
            "mpmath50_digits": [correct_digits(v, r) for v, r in zip(m50, (ref_g, ref_h))],
            "package_printed_digits": printed, "package_correct_digits": package, "package_error_ulps": ulps,
            "package_dps": row.hess_norm.dps,
            "all_printed_correct": all_correct,
        })
    for title, i in (("‖∇f‖ (Euclidean)", 0), ("‖∇²f‖_F (Frobenius)", 1)):
        print(f"\n{title}: correct significant digits at x = (1e-30, 1e-30, t, t), t = 10^k; u = 1e-60·t²")
        rows = []
        for r in records:
            rows.append((f"1e{r['k']}", r["u"], r["reference"][i], f"{r['float64_digits'][i]} ({r['float64'][i]})",
                         "—" if r["torch_digits"] is None else f"{r['torch_digits'][i]} ({r['torch'][i]})",
                         r["mpmath50_digits"][i],
                         f"{r['package_printed_digits'][i]} printed, error {r['package_error_ulps'][i]:.2f} ulp"
                         f"{'' if r['package_error_ulps'][i] <= 1 else ' WRONG'}",
                         r["package_dps"]))
        print_table(("t", "u", "reference", "float64", "torch f64", "mpmath 50", "package", "dps"), rows)
    print("\npackage: every printed digit correct at every point" if not wrong
          else f"\nPACKAGE WRONG OR UNCONFIRMED at k = {wrong}")
    write_json(args.json, {"benchmark": "extreme_points", "rows": records})
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
